package io.embed4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.embed4j.backend.TokenBatch;
import io.embed4j.tokenize.TextTokenizer;
import io.embed4j.tokenize.TokenizedText;
import io.embed4j.torch.Batches;
import io.embed4j.torch.BertEncoder;
import io.embed4j.torch.Torch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Texts to token batches to embeddings with the trainable encoder: prompts prepended, optional
 * lowercasing, truncation to the model's max length. For inference it sorts texts by length and
 * batches them, dropout off, no gradients.
 */
public final class TorchEmbedder implements TextEmbedder {
  private final BertEncoder encoder;
  private final TextTokenizer tokenizer;
  private final int maxSeqLength;
  private final boolean lowerCase;
  private final String queryPrompt;
  private final String documentPrompt;
  private final int batchSize;

  public TorchEmbedder(BertEncoder encoder, TextTokenizer tokenizer, int maxSeqLength, boolean lowerCase, String queryPrompt,
      String documentPrompt, int batchSize) {
    this.encoder = encoder;
    this.tokenizer = tokenizer;
    this.maxSeqLength = maxSeqLength;
    this.lowerCase = lowerCase;
    this.queryPrompt = queryPrompt == null ? "" : queryPrompt;
    this.documentPrompt = documentPrompt == null ? "" : documentPrompt;
    this.batchSize = batchSize;
  }

  @Override
  public int dimensions() {
    return encoder.dimensions();
  }

  public String queryPrompt() {
    return queryPrompt;
  }

  public String documentPrompt() {
    return documentPrompt;
  }

  public int maxSeqLength() {
    return maxSeqLength;
  }

  /** Tokenizes with a prompt, truncated to the max length. */
  public List<TokenizedText> tokenize(List<String> texts, String prompt) {
    List<String> prepared = new ArrayList<>(texts.size());
    for (String t : texts) {
      String s = prompt + t;
      prepared.add(lowerCase ? s.toLowerCase(Locale.ROOT) : s);
    }
    TokenizedText[] tokens = tokenizer.tokenize(prepared);
    List<TokenizedText> out = new ArrayList<>(tokens.length);
    for (TokenizedText t : tokens) {
      out.add(t.truncate(maxSeqLength));
    }
    return out;
  }

  /** A padded batch of texts with a prompt. */
  public TokenBatch batch(List<String> texts, String prompt) {
    return Batches.pad(tokenize(texts, prompt), maxSeqLength);
  }

  @Override
  public float[][] embedQueries(List<String> queries) {
    return embed(queries, queryPrompt);
  }

  @Override
  public float[][] embedDocuments(List<String> documents) {
    return embed(documents, documentPrompt);
  }

  /** Embeddings of texts in input order; dropout is off during the call. */
  public float[][] embed(List<String> texts, String prompt) {
    float[][] out = new float[texts.size()][];
    if (texts.isEmpty()) {
      return out;
    }
    List<TokenizedText> tokens = tokenize(texts, prompt);
    Integer[] order = new Integer[texts.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Integer.compare(tokens.get(b).length(), tokens.get(a).length()));
    boolean wasTraining = encoder.isTraining();
    encoder.setTraining(false);
    try {
      int d = encoder.dimensions();
      for (int from = 0; from < order.length; from += batchSize) {
        int to = Math.min(order.length, from + batchSize);
        List<TokenizedText> rows = new ArrayList<>(to - from);
        for (int k = from; k < to; k++) {
          rows.add(tokens.get(order[k]));
        }
        try (NDManager m = Torch.engine().newBaseManager()) {
          NDArray e = encoder.sentenceEmbeddings(m, Batches.pad(rows, maxSeqLength));
          float[] flat = e.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
          for (int k = from; k < to; k++) {
            int r = k - from;
            out[order[k]] = Arrays.copyOfRange(flat, r * d, (r + 1) * d);
          }
        }
      }
    } finally {
      encoder.setTraining(wasTraining);
    }
    return out;
  }
}
