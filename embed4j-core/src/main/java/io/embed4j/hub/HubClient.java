package io.embed4j.hub;

import io.embed4j.Embed4jException;
import java.nio.file.Path;

/** Placeholder: downloads a model snapshot from the Hugging Face Hub into the Hub's cache layout. */
public final class HubClient {
  public static HubClient fromEnvironment() {
    return new HubClient();
  }

  public Path snapshot(String repoId, String revision) {
    throw new Embed4jException.ModelNotFound("Hub download is not implemented yet: " + repoId + "@" + revision);
  }
}
