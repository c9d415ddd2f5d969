package io.embed4j.index.store;

import io.embed4j.Embed4jException;

/**
 * A condition on chunks: {@code path=GLOB} (a glob on the file path; relative globs match at any
 * directory, e.g. {@code docs/*.md}), {@code format=markdown}, {@code record=ID}, or {@code KEY=VALUE}
 * on a record's metadata. {@code *} and {@code ?} are wildcards in every value. Filters combine with AND.
 */
public record Filter(String field, String pattern) {
  public Filter {
    if (field == null || field.isBlank() || pattern == null || pattern.isEmpty()) {
      throw new Embed4jException.InvalidInput("filter needs a field and a value, e.g. path=docs/*.md or lang=en");
    }
  }

  /** Parses {@code FIELD=VALUE} (or {@code FIELD:VALUE}). */
  public static Filter parse(String spec) {
    int eq = spec.indexOf('=');
    int colon = spec.indexOf(':');
    int at = eq > 0 ? eq : colon;
    if (at <= 0 || at == spec.length() - 1) {
      throw new Embed4jException.InvalidInput("--filter '" + spec + "': expected FIELD=VALUE, e.g. path=docs/*.md, format=pdf or lang=en");
    }
    return new Filter(spec.substring(0, at).strip(), spec.substring(at + 1).strip());
  }

  public boolean hasWildcard() {
    return pattern.indexOf('*') >= 0 || pattern.indexOf('?') >= 0;
  }
}
