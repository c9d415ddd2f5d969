/** Fine-tuning of embedding models: data, losses, trainer, export. */
package io.embed4j.train;
