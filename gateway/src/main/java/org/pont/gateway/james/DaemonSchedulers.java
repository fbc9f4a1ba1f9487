package org.pont.gateway.james;

import java.util.concurrent.ThreadFactory;
import reactor.core.scheduler.Schedulers;

/**
 * Makes every Reactor scheduler thread a daemon. James's in-memory mail queue creates a
 * non-daemon single scheduler it never disposes, which would keep the JVM alive after a clean
 * stop. Installed once, before James starts.
 */
final class DaemonSchedulers {

  private static volatile boolean installed;

  private DaemonSchedulers() {}

  static synchronized void install() {
    if (installed) {
      return;
    }
    Schedulers.setFactory(new Schedulers.Factory() {
      @Override
      public reactor.core.scheduler.Scheduler newSingle(ThreadFactory threadFactory) {
        return Schedulers.Factory.super.newSingle(daemon(threadFactory));
      }

      @Override
      public reactor.core.scheduler.Scheduler newParallel(int parallelism, ThreadFactory threadFactory) {
        return Schedulers.Factory.super.newParallel(parallelism, daemon(threadFactory));
      }

      @Override
      public reactor.core.scheduler.Scheduler newBoundedElastic(
          int threadCap, int queuedTaskCap, ThreadFactory threadFactory, int ttlSeconds) {
        return Schedulers.Factory.super.newBoundedElastic(threadCap, queuedTaskCap, daemon(threadFactory), ttlSeconds);
      }
    });
    installed = true;
  }

  private static ThreadFactory daemon(ThreadFactory delegate) {
    return runnable -> {
      Thread t = delegate.newThread(runnable);
      t.setDaemon(true);
      return t;
    };
  }
}
