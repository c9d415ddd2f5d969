package io.embed4j.server;

import io.javalin.http.Context;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.AbstractEndPoint;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.util.Callback;

/**
 * Notices a client that closes its connection while its request waits for inference, so that its
 * queued inputs are dropped instead of inferred. An HTTP/1.1 server reads nothing while a handler
 * runs, so Jetty sees such a close only when it writes the response; this watch asks the
 * connection's selector to report readability meanwhile. Readable with no bytes to read means the
 * peer closed or reset the connection; bytes to read mean a pipelined request, and the watch simply
 * ends. {@link #close} withdraws the watch before the response is written, so the connection then
 * reads its next request as usual. Other transports (none today) go unwatched.
 */
final class DisconnectWatch implements AutoCloseable {
  private static final DisconnectWatch NONE = new DisconnectWatch(null);

  private final AbstractEndPoint endPoint;
  private final AtomicBoolean done = new AtomicBoolean();

  private DisconnectWatch(AbstractEndPoint endPoint) {
    this.endPoint = endPoint;
  }

  /** Watches the request's connection; {@code onClose} runs (on a Jetty thread) if the client goes away first. */
  static DisconnectWatch start(Context ctx, Runnable onClose) {
    EndPoint ep;
    try {
      ep = ServletContextRequest.getServletContextRequest(ctx.req()).getConnectionMetaData().getConnection().getEndPoint();
    } catch (RuntimeException e) {
      return NONE; // not a Jetty servlet request
    }
    if (!(ep instanceof SocketChannelEndPoint socket) || !(ep instanceof AbstractEndPoint abstractEndPoint)) {
      return NONE;
    }
    DisconnectWatch watch = new DisconnectWatch(abstractEndPoint);
    Callback readable = new Callback() {
      @Override
      public void succeeded() {
        if (watch.done.compareAndSet(false, true) && closedByPeer(socket.getChannel())) {
          onClose.run();
        }
      }

      @Override
      public InvocationType getInvocationType() {
        return InvocationType.NON_BLOCKING;
      }
    };
    // false: the connection is already reading (it never is while a handler runs); then no watch.
    return ep.tryFillInterested(readable) ? watch : NONE;
  }

  private static boolean closedByPeer(SocketChannel channel) {
    try {
      return channel.socket().getInputStream().available() == 0;
    } catch (IOException | RuntimeException e) {
      return true; // reset, or closed under us
    }
  }

  /** Withdraws the watch; call before writing the response. */
  @Override
  public void close() {
    if (endPoint != null && done.compareAndSet(false, true)) {
      endPoint.getFillInterest().onFail(new java.util.concurrent.CancellationException("response ready"));
    }
  }
}
