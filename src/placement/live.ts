// Live updates for the coordinator's screen: an in-process hub that the store's writers publish to and the
// server-sent-events route streams from. Events carry no personal data (ids and figures of groups, the id
// of a request that changed); the screen refetches through the scoped, audited routes.
// One process serves the app (docs/architecture.md); with several processes this would become
// PostgreSQL LISTEN/NOTIFY behind the same two methods.

export interface LiveEvent {
  seq: number;
  at: string;
  regionId: string;
  kind: 'availability' | 'request' | 'register';
  groupId?: number;
  providerId?: number; // the provider of the group (lets a provider's stream carry only its own groups)
  requestId?: number;
  municipalityCode?: string; // the request's home municipality (lets a municipality's stream carry only its own)
  free?: number;
  staffed?: number;
  occupied?: number;
  reserved?: number;
  version?: number;
  light?: string;
}

type Listener = (e: LiveEvent) => void;

export class LiveHub {
  private seq = 0;
  private readonly recent: LiveEvent[] = [];
  private readonly listeners = new Set<Listener>();
  constructor(private readonly keep = 1000) {}

  publish(e: Omit<LiveEvent, 'seq' | 'at'>): LiveEvent {
    const event: LiveEvent = { ...e, seq: ++this.seq, at: new Date().toISOString() };
    this.recent.push(event);
    if (this.recent.length > this.keep) this.recent.splice(0, this.recent.length - this.keep);
    for (const l of this.listeners) l(event);
    return event;
  }

  subscribe(l: Listener): () => void {
    this.listeners.add(l);
    return () => {
      this.listeners.delete(l);
    };
  }

  /** Events after `seq` still held (for a reconnect with Last-Event-ID, or polling). */
  since(seq: number): LiveEvent[] {
    return this.recent.filter((e) => e.seq > seq);
  }
  get lastSeq() {
    return this.seq;
  }
  get listenerCount() {
    return this.listeners.size;
  }
}
