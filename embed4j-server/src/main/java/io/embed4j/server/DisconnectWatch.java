package io.embed4j.server;

import io.javalin.http.Context;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.AbstractEndPoint;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.util.Callback;

/**
 * Notices a client that closes its connection while its request waits for inference, so that its
 * queued inputs are dropped instead of inferred. An HTTP/1.1 server reads nothing while a handler
 * runs, so Jetty sees such a close only when it writes the response; this watch asks the
 * connection's selector to report readability meanwhile. Readable with no bytes to read, reported
 * {@value #CONFIRMATIONS} times in a row (the watch re-arms in between), means the peer closed or reset
 * the connection; bytes to read mean a pipelined request, and the watch simply ends. {@link #close} withdraws the watch before the response is written, so the connection then
 * reads its next request as usual. Other transports (none today) go unwatched.
 */
final class DisconnectWatch implements AutoCloseable {
  /**
   * Readable-with-nothing-to-read reports in a row that mean the peer is gone. Jetty's selector
   * sometimes reports a stale readiness once (under 64 keep-alive clients: 6-31 false alarms per
   * 2,000 requests when one report sufficed, none with two); a closed connection stays readable.
   */
  private static final int CONFIRMATIONS = 3;
  private static final DisconnectWatch NONE = new DisconnectWatch(null);

  private final AbstractEndPoint endPoint;
  private boolean done; // guarded by this

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
      private int empty;

      @Override
      public void succeeded() {
        int available = available(socket.getChannel());
        synchronized (watch) { // against close(): never re-arm once the response is on its way
          if (watch.done) {
            return;
          }
          if (available > 0) {
            watch.done = true; // a pipelined request: the client is there
            return;
          }
          // The selector can report a stale readiness; a closed connection stays readable.
          if (available == 0 && ++empty < CONFIRMATIONS && ep.tryFillInterested(this)) {
            return;
          }
          watch.done = true;
        }
        onClose.run();
      }

      @Override
      public InvocationType getInvocationType() {
        return InvocationType.NON_BLOCKING;
      }
    };
    // false: the connection is already reading (it never is while a handler runs); then no watch.
    return ep.tryFillInterested(readable) ? watch : NONE;
  }

  /** Bytes ready to read, or -1 when the connection is reset or closed under us. */
  private static int available(SocketChannel channel) {
    try {
      return channel.socket().getInputStream().available();
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** Withdraws the watch; call before writing the response. */
  @Override
  public void close() {
    if (endPoint == null) {
      return;
    }
    synchronized (this) {
      if (!done) {
        done = true;
        endPoint.getFillInterest().onFail(new java.util.concurrent.CancellationException("response ready"));
      }
    }
  }
}
