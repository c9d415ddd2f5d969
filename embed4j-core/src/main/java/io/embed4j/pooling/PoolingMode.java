package io.embed4j.pooling;

import java.util.Arrays;
import java.util.Locale;

/** The pooling modes of sentence-transformers' Pooling module, in the order it concatenates them. */
public enum PoolingMode {
  CLS("cls", "pooling_mode_cls_token"),
  MAX("max", "pooling_mode_max_tokens"),
  MEAN("mean", "pooling_mode_mean_tokens"),
  MEAN_SQRT_LEN_TOKENS("mean_sqrt_len_tokens", "pooling_mode_mean_sqrt_len_tokens"),
  WEIGHTED_MEAN("weightedmean", "pooling_mode_weightedmean_tokens"),
  LAST_TOKEN("lasttoken", "pooling_mode_lasttoken");

  private final String configName;
  private final String configKey;

  PoolingMode(String configName, String configKey) {
    this.configName = configName;
    this.configKey = configKey;
  }

  public String configName() {
    return configName;
  }

  /** The boolean key of this mode in {@code 1_Pooling/config.json}. */
  public String configKey() {
    return configKey;
  }

  public static PoolingMode fromName(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT).replace("-", "_");
    for (PoolingMode m : values()) {
      if (m.configName.equals(n) || m.name().toLowerCase(Locale.ROOT).equals(n)) {
        return m;
      }
    }
    if (n.equals("weighted_mean") || n.equals("last_token") || n.equals("last")) {
      return n.startsWith("weighted") ? WEIGHTED_MEAN : LAST_TOKEN;
    }
    throw new IllegalArgumentException("unknown pooling mode '" + name + "'; valid modes: "
        + Arrays.stream(values()).map(PoolingMode::configName).toList());
  }
}
