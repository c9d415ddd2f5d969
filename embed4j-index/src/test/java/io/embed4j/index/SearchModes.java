package io.embed4j.index;

import io.embed4j.index.store.SearchMode;
import java.util.Arrays;
import java.util.List;

/** The search modes an index without sparse vectors serves. */
final class SearchModes {
  static final List<SearchMode> WITHOUT_SPARSE = Arrays.stream(SearchMode.values()).filter(m -> m != SearchMode.SPARSE).toList();

  private SearchModes() {}
}
