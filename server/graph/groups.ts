/**
 * Group conversations held in memory: who created each and who is in it (R15, R16, and the group
 * kinds' participant check), and the groups each account is in (the X API's event listings). A group
 * exists once a group_create was delivered; invites add to it.
 */
export interface GroupState {
  exists: boolean;
  creatorId: string | null;
  participants: string[];
}

const noGroup: GroupState = Object.freeze({ exists: false, creatorId: null, participants: Object.freeze([]) as unknown as string[] });

export class Groups {
  private readonly byId = new Map<string, { creatorId: string; participants: string[] }>();
  private readonly byMember = new Map<string, string[]>();

  get(conversationId: string): GroupState {
    const group = this.byId.get(conversationId);
    return group ? { exists: true, creatorId: group.creatorId, participants: group.participants } : noGroup;
  }

  /** The groups `accountId` is in, in the order it joined them. */
  of(accountId: string): readonly string[] {
    return this.byMember.get(accountId) ?? [];
  }

  get size(): number {
    return this.byId.size;
  }

  /** A group_create was delivered: the creator and the accounts it named are in. */
  create(conversationId: string, creatorId: string, members: readonly string[]): void {
    if (this.byId.has(conversationId)) return;
    this.byId.set(conversationId, { creatorId, participants: [] });
    this.add(conversationId, members);
  }

  /** An invite was delivered (or a participant restored): each account not yet in joins. */
  add(conversationId: string, members: readonly string[]): void {
    const group = this.byId.get(conversationId);
    if (!group) return;
    for (const id of members) {
      if (group.participants.includes(id)) continue;
      group.participants.push(id);
      const groups = this.byMember.get(id);
      if (groups) groups.push(conversationId);
      else this.byMember.set(id, [conversationId]);
    }
  }

  /** Every group, sorted, participants in the order they joined: for comparing states. */
  snapshot(): Array<{ id: string; creatorId: string; participants: string[] }> {
    return [...this.byId].map(([id, g]) => ({ id, creatorId: g.creatorId, participants: [...g.participants] })).sort((a, b) => (a.id < b.id ? -1 : 1));
  }
}
