package io.embed4j.train.cross;

import io.embed4j.Embed4jException;
import io.embed4j.train.TextEmbedder;
import io.embed4j.train.data.BeirData;
import io.embed4j.train.data.TrainingExample;
import io.embed4j.train.data.TrainingSet;
import io.embed4j.train.mine.HardNegativeMiner;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Training groups for a cross-encoder: each query with its positive and negatives mined by a
 * bi-encoder ({@link HardNegativeMiner}), or as a JSONL file gives them.
 */
public final class CrossEncoderData {
  private CrossEncoderData() {}

  /**
   * One group per judged (query, relevant document) of a BEIR split: the document labelled 1, then
   * negatives from the whole corpus labelled 0. Documents the split judges relevant to the query are
   * never negatives.
   */
  public static List<PairGroup> fromBeir(BeirData data, TextEmbedder miner, HardNegativeMiner.Options mining) {
    List<String> anchors = new ArrayList<>();
    List<String> positives = new ArrayList<>();
    for (Map.Entry<String, Map<String, Integer>> q : data.qrels().entrySet()) {
      for (Map.Entry<String, Integer> d : q.getValue().entrySet()) {
        String text = data.corpus().get(d.getKey());
        if (d.getValue() > 0 && text != null) {
          anchors.add(data.queries().get(q.getKey()));
          positives.add(text);
        }
      }
    }
    if (anchors.isEmpty()) {
      throw new Embed4jException.InvalidInput(data.dir() + " split " + data.split() + " has no relevant (query, document) pair");
    }
    return groups(new HardNegativeMiner(miner, mining).mine(anchors, positives, List.copyOf(data.corpus().values())));
  }

  /**
   * Groups from loaded training data: (anchor, positive, negative...) examples as they are; unlabeled
   * (anchor, positive) pairs with negatives mined among all the positives; scored pairs as one-pair
   * groups labelled with their score (which must lie in [0, 1]).
   */
  public static List<PairGroup> fromTrainingSet(TrainingSet set, TextEmbedder miner, HardNegativeMiner.Options mining) {
    int columns = set.columns().size();
    if (columns < 2) {
      throw new Embed4jException.InvalidInput(set.source() + " has columns " + set.columns() + "; a cross-encoder trains on pairs");
    }
    List<PairGroup> out = new ArrayList<>();
    if (set.labeled() && columns == 2) {
      for (TrainingExample e : set.examples()) {
        if (!(e.label() >= 0 && e.label() <= 1)) {
          throw new Embed4jException.InvalidInput(set.source() + ": label " + e.label() + " is outside [0, 1]; binary cross-entropy needs targets in [0, 1]");
        }
        out.add(new PairGroup(e.texts().get(0), List.of(e.texts().get(1)), List.of((float) e.label())));
      }
      return out;
    }
    if (columns == 2) {
      List<String> anchors = new ArrayList<>();
      List<String> positives = new ArrayList<>();
      for (TrainingExample e : set.examples()) {
        anchors.add(e.texts().get(0));
        positives.add(e.texts().get(1));
      }
      return groups(new HardNegativeMiner(miner, mining).mine(anchors, positives, List.of()));
    }
    for (TrainingExample e : set.examples()) {
      List<Float> labels = new ArrayList<>();
      for (int c = 1; c < columns; c++) {
        labels.add(c == 1 ? 1f : 0f);
      }
      out.add(new PairGroup(e.texts().get(0), e.texts().subList(1, columns), labels));
    }
    return out;
  }

  private static List<PairGroup> groups(List<HardNegativeMiner.Mined> mined) {
    List<PairGroup> out = new ArrayList<>(mined.size());
    for (HardNegativeMiner.Mined m : mined) {
      List<String> docs = new ArrayList<>();
      List<Float> labels = new ArrayList<>();
      docs.add(m.positive());
      labels.add(1f);
      for (String n : m.negatives()) {
        docs.add(n);
        labels.add(0f);
      }
      out.add(new PairGroup(m.anchor(), docs, labels));
    }
    return out;
  }
}
