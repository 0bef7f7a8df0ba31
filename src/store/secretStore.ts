/**
 * Secrets the server makes for itself (the key that signs image URLs), kept in the database every
 * node shares, so each node signs alike and a restart keeps what was signed valid.
 */
export interface SecretStore {
  /** The secret of this name; the first caller ever stores `candidate`, everyone gets the stored one. */
  secret(name: string, candidate: string): Promise<string>;
}
