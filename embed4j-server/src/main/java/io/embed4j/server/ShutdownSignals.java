package io.embed4j.server;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Turns SIGTERM and SIGINT into a graceful stop. The JVM's own handling would run shutdown hooks
 * and exit with 143; a server that drains and then exits 0 needs the signal itself, which only
 * {@code sun.misc.Signal} (module jdk.unsupported) gives. It is reached by reflection so the build
 * stays free of internal-API warnings; where it is missing, a shutdown hook drains instead (and
 * the exit code is the JVM's). A second signal while draining halts at once.
 */
public final class ShutdownSignals {
  private ShutdownSignals() {}

  /**
   * Runs {@code onStop} (on a signal thread) at the first SIGTERM or SIGINT; a second one halts
   * the JVM with 130. Returns whether the signals could be taken; false means a shutdown hook was
   * installed instead.
   */
  public static boolean install(Runnable onStop) {
    AtomicBoolean first = new AtomicBoolean(true);
    Runnable handler = () -> {
      if (first.getAndSet(false)) {
        Thread.ofPlatform().name("embed4j-shutdown").start(onStop);
      } else {
        Runtime.getRuntime().halt(130);
      }
    };
    try {
      Class<?> signal = Class.forName("sun.misc.Signal");
      Class<?> signalHandler = Class.forName("sun.misc.SignalHandler");
      Method handle = signal.getMethod("handle", signal, signalHandler);
      InvocationHandler ih = (proxy, method, args) -> {
        if (method.getName().equals("handle")) {
          handler.run();
          return null;
        }
        return switch (method.getName()) {
          case "hashCode" -> System.identityHashCode(proxy);
          case "equals" -> proxy == args[0];
          default -> "embed4j shutdown handler";
        };
      };
      Object h = Proxy.newProxyInstance(ShutdownSignals.class.getClassLoader(), new Class<?>[] {signalHandler}, ih);
      for (String name : new String[] {"TERM", "INT"}) {
        handle.invoke(null, signal.getConstructor(String.class).newInstance(name), h);
      }
      return true;
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      Runtime.getRuntime().addShutdownHook(new Thread(onStop, "embed4j-shutdown"));
      return false;
    }
  }
}
