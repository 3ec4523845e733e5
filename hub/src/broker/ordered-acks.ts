/**
 * One client's publishes, answered in the order they arrived. MQTT 3.1.1 §4.6 requires a broker
 * to send a client's PUBACKs in the order of its PUBLISHes, and devices rely on it: many keep a
 * single counter of what the hub has confirmed. A sensor reading is answered only once it is on
 * disk (the next group commit), a rejected message needs no commit; without this queue its PUBACK
 * would overtake those of the good readings still waiting.
 */
export class OrderedAcks {
  private readonly waiting: { ready: boolean; answer: () => void }[] = [];

  /** Registers a publish as it arrives; returns the function to call once it may be answered. */
  arrive(answer: () => void): () => void {
    const entry = { ready: false, answer };
    this.waiting.push(entry);
    return () => {
      entry.ready = true;
      while (this.waiting[0]?.ready) this.waiting.shift()!.answer();
    };
  }
}
