/**
 * Display information about a connected person, keyed by their session: what the other side of
 * a conversation (and the team list) shows next to a name. Kept apart from the room registry
 * because nothing in it can race: each session writes only its own profile.
 */
export interface Profile {
  /** An id of the built-in avatar set; absent: the page draws one from the name. */
  avatar?: string;
  /** When this session connected, ms: a customer's wait is counted from it. */
  joinedAt: number;
}

/** Where the profiles of connected people are kept, by session: in this process, or in Redis for several nodes. */
export interface ProfileDirectory {
  /** Keeps a session's profile while the session lasts. */
  set(session: string, profile: Profile): Promise<void>;
  /** Profiles of the given sessions; a session without one is left out of the map. */
  getMany(sessions: readonly string[]): Promise<Map<string, Profile>>;
  /** Forgets a session's profile: the session is over. */
  delete(session: string): Promise<void>;
}
