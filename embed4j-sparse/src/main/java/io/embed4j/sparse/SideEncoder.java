package io.embed4j.sparse;

import java.util.List;

/** One side's encoder (queries or documents): texts, already prompted, to sparse vectors. */
interface SideEncoder extends AutoCloseable {
  SparseEmbeddings encode(List<String> texts, SparseOptions options, int batchTokens, int maxBatchSize);

  /** Width of the vectors: the vocabulary size. */
  int dimensions();

  /** The vocabulary term of an index, as the tokenizer spells it ({@code ##ing} for a word piece). */
  String token(int index);

  @Override
  void close();
}
