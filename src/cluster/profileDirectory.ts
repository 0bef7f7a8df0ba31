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

export interface ProfileDirectory {
  set(session: string, profile: Profile): Promise<void>;
  /** Profiles of the given sessions; a session without one is left out of the map. */
  getMany(sessions: readonly string[]): Promise<Map<string, Profile>>;
  delete(session: string): Promise<void>;
}
