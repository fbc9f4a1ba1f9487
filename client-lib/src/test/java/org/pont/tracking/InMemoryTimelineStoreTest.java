package org.pont.tracking;

class InMemoryTimelineStoreTest extends TimelineStoreContract {
  @Override
  protected TimelineStore newStore() {
    return new InMemoryTimelineStore();
  }
}
