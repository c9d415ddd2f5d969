package io.embed4j.solr;

import io.embed4j.Embed4jException;
import io.embed4j.index.store.ModelStamp;
import io.embed4j.index.store.StoreSettings;
import io.embed4j.index.store.VectorEncoding;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The configset embed4j makes for a collection: a schema whose vector field has the model's width
 * and similarity and the store's HNSW parameters, a BM25 field analyzed as the embedded index
 * analyzes it (Lucene's English analyzer: standard tokenizer, possessives, lower case, English stop
 * words, Porter stemmer), string fields for filters and metadata, and a solrconfig that keeps
 * document frequencies exact across shards, so BM25 scores do not depend on the sharding.
 */
final class SolrConfigSet {
  static final String SCHEMA_VERSION = "1";
  // Lucene's EnglishAnalyzer.ENGLISH_STOP_WORDS_SET, as the embedded index uses.
  private static final String STOP_WORDS = String.join("\n", "a", "an", "and", "are", "as", "at", "be", "but", "by", "for",
      "if", "in", "into", "is", "it", "no", "not", "of", "on", "or", "such", "that", "the", "their", "then", "there",
      "these", "they", "this", "to", "was", "will", "with") + "\n";

  private SolrConfigSet() {}

  /** Solr's name for the vector similarity that serves {@code model} (as the embedded index chooses it). */
  static String similarity(ModelStamp model) {
    return switch (model.similarity()) {
      case "cosine" -> model.normalize() ? "dot_product" : "cosine";
      case "dot" -> model.normalize() ? "dot_product" : "max_inner_product";
      case "euclidean" -> "euclidean";
      default -> throw new Embed4jException.InvalidInput("model " + model.describe() + " uses " + model.similarity()
          + " similarity, which Solr's vector field does not support (cosine, dot and euclidean are)");
    };
  }

  /** Undoes Solr's (Lucene's) mapping of similarities to non-negative scores: what the model's function returns. */
  static double toModelScore(String solrSimilarity, double score) {
    return switch (solrSimilarity) {
      case "dot_product", "cosine" -> 2.0 * score - 1.0;                    // score = (1 + cos) / 2
      case "max_inner_product" -> score < 1 ? 1 - 1.0 / score : score - 1;  // score = 1/(1-dot) or dot+1
      case "euclidean" -> -Math.sqrt(Math.max(0, 1.0 / score - 1));          // score = 1 / (1 + d^2); report -d
      default -> throw new IllegalArgumentException(solrSimilarity);
    };
  }

  /** The configset's files, by name. */
  static Map<String, String> files(ModelStamp model, StoreSettings settings) {
    if (settings.encoding() != VectorEncoding.FLOAT32) {
      throw new Embed4jException.InvalidInput("the Solr store keeps float32 vectors; vector encoding "
          + settings.encoding().cliName() + " is for the embedded index");
    }
    Map<String, String> files = new LinkedHashMap<>();
    files.put("schema.xml", schema(model, settings));
    files.put("solrconfig.xml", SOLRCONFIG);
    files.put("stopwords_en.txt", STOP_WORDS);
    return files;
  }

  /** The configset as the zip Solr's configset upload takes. */
  static byte[] zip(ModelStamp model, StoreSettings settings) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      for (Map.Entry<String, String> f : files(model, settings).entrySet()) {
        zip.putNextEntry(new ZipEntry(f.getKey()));
        zip.write(f.getValue().getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  static String schema(ModelStamp model, StoreSettings settings) {
    return String.format(Locale.ROOT, """
        <?xml version="1.0" encoding="UTF-8"?>
        <!-- Made by embed4j (schema %s) for model %s. -->
        <schema name="embed4j" version="1.6">
          <uniqueKey>id</uniqueKey>
          <fieldType name="string" class="solr.StrField" sortMissingLast="true" docValues="true"/>
          <fieldType name="stored_string" class="solr.StrField" indexed="false" stored="true" docValues="false"/>
          <fieldType name="pint" class="solr.IntPointField" docValues="true"/>
          <fieldType name="plong" class="solr.LongPointField" docValues="true"/>
          <fieldType name="text_en" class="solr.TextField" positionIncrementGap="100">
            <analyzer>
              <tokenizer class="solr.StandardTokenizerFactory"/>
              <filter class="solr.EnglishPossessiveFilterFactory"/>
              <filter class="solr.LowerCaseFilterFactory"/>
              <filter class="solr.StopFilterFactory" words="stopwords_en.txt" ignoreCase="true"/>
              <filter class="solr.PorterStemFilterFactory"/>
            </analyzer>
          </fieldType>
          <fieldType name="vector" class="solr.DenseVectorField" vectorDimension="%d" similarityFunction="%s"
                     knnAlgorithm="hnsw" hnswMaxConnections="%d" hnswBeamWidth="%d"/>

          <field name="id" type="string" indexed="true" stored="true" required="true"/>
          <field name="_version_" type="plong" indexed="false" stored="false"/>
          <field name="kind" type="string" indexed="true" stored="true"/>
          <!-- chunks -->
          <field name="source" type="string" indexed="true" stored="true"/>
          <field name="path" type="string" indexed="true" stored="true"/>
          <field name="ord" type="pint" indexed="true" stored="true"/>
          <field name="format" type="string" indexed="true" stored="true"/>
          <field name="record" type="string" indexed="true" stored="true"/>
          <field name="text" type="stored_string"/>
          <field name="heading" type="stored_string"/>
          <field name="bm25" type="text_en" indexed="true" stored="false"/>
          <field name="start_line" type="pint" indexed="false" stored="true"/>
          <field name="end_line" type="pint" indexed="false" stored="true"/>
          <field name="start_offset" type="pint" indexed="false" stored="true"/>
          <field name="end_offset" type="pint" indexed="false" stored="true"/>
          <field name="page" type="pint" indexed="false" stored="true"/>
          <field name="vector" type="vector" indexed="true" stored="false"/>
          <dynamicField name="meta_*" type="string" indexed="true" stored="true"/>
          <!-- sources -->
          <field name="source_path" type="stored_string"/>
          <field name="fingerprint" type="stored_string"/>
          <field name="sha256" type="stored_string"/>
          <field name="source_format" type="stored_string"/>
          <field name="chunks" type="pint" indexed="false" stored="true"/>
          <field name="note" type="stored_string"/>
          <!-- the store's own record: model, settings and properties, as JSON -->
          <field name="properties" type="stored_string"/>
        </schema>
        """, SCHEMA_VERSION, model.describe().replace("--", "-"), model.dimensions(), similarity(model),
        settings.hnswMaxConn(), settings.hnswBeamWidth());
  }

  private static final String SOLRCONFIG = """
      <?xml version="1.0" encoding="UTF-8"?>
      <!-- Made by embed4j. -->
      <config>
        <luceneMatchVersion>9.12</luceneMatchVersion>
        <dataDir>${solr.data.dir:}</dataDir>
        <directoryFactory name="DirectoryFactory" class="${solr.directoryFactory:solr.NRTCachingDirectoryFactory}"/>
        <!-- Applies the schema's HNSW parameters. -->
        <codecFactory class="solr.SchemaCodecFactory"/>
        <schemaFactory class="ClassicIndexSchemaFactory"/>
        <indexConfig>
          <ramBufferSizeMB>128</ramBufferSizeMB>
        </indexConfig>
        <updateHandler class="solr.DirectUpdateHandler2">
          <updateLog><str name="dir">${solr.ulog.dir:}</str></updateLog>
          <!-- Durability only: what searches see changes when embed4j commits, not on a timer. -->
          <autoCommit><maxTime>${solr.autoCommit.maxTime:60000}</maxTime><openSearcher>false</openSearcher></autoCommit>
        </updateHandler>
        <!-- Document frequencies of all shards, so BM25 scores are the same however the corpus is sharded. -->
        <statsCache class="org.apache.solr.search.stats.ExactStatsCache"/>
        <query>
          <maxBooleanClauses>${solr.max.booleanClauses:1024}</maxBooleanClauses>
        </query>
        <requestHandler name="/select" class="solr.SearchHandler">
          <lst name="defaults"><str name="echoParams">none</str></lst>
        </requestHandler>
      </config>
      """;
}
