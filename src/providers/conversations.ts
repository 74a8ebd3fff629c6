// The quarterly conversation's minutes (date, participants, text) and the agreements made in it, each with an owner,
// a due date and a status (open / done). Open agreements whose due date has passed are overdue; the next agenda lists
// the open agreements of earlier conversations. The region writes; a provider reads its own; a municipality none.
import type { Db } from '../db/index.ts';
import { typed, inScope } from '../db/query.ts';
import type { Account, DataScope } from '../access/roles.ts';
import { AppError, badRequest, forbidden, notFound } from '../core/errors.ts';
import { SCOPE_CHECKED } from './documents.ts'; // also registers provider_conversation and provider_agreement as scoped tables

const day = (d: unknown) => String(d).slice(0, 10);
const cols = (scope: DataScope, alias: string) => inScope(scope, { region: `${alias}.region_id`, provider: `${alias}.provider_id` });

function readable(scope: DataScope, providerId: number) {
  if (scope.municipalityCode !== null) throw forbidden('Een gemeente ziet de verslagen van contractgesprekken niet');
  if (scope.providerId !== null && scope.providerId !== providerId) throw notFound(`Aanbieder ${providerId}`);
}
function regionOnly(scope: DataScope) {
  if (scope.providerId !== null || scope.municipalityCode !== null) throw forbidden('Alleen de regio legt verslagen en afspraken vast');
}

export interface AgreementInput {
  description: string;
  owner: string;
  dueOn: string;
}

/** An agreement as it will be stored, or a Dutch error naming the field (`prefix` for agreements inside a conversation). */
export function checkAgreement(a: AgreementInput, heldOn: string | null, prefix = ''): AgreementInput {
  if (!a.description.trim()) throw badRequest('beschrijf de afspraak', `${prefix}description`);
  if (!a.owner.trim()) throw badRequest('wie is eigenaar van de afspraak?', `${prefix}owner`);
  if (heldOn && a.dueOn < heldOn) throw badRequest(`de uiterste datum ${a.dueOn} ligt voor het gesprek (${heldOn})`, `${prefix}dueOn`);
  return { description: a.description.trim(), owner: a.owner.trim(), dueOn: a.dueOn };
}

/** Overdue: still open after its due date. */
export const isOverdue = (a: { status: string; dueOn: string }, today: string) => a.status === 'open' && a.dueOn < today;

async function agreements(db: Db, scope: DataScope, providerId: number, today: string) {
  const rows = await typed(db)
    .selectFrom('provider_agreement as g')
    .innerJoin('provider_conversation as c', 'c.id', 'g.conversation_id')
    .select([
      'g.id',
      'g.conversation_id',
      'c.year',
      'c.quarter',
      'c.held_on',
      'g.description',
      'g.owner',
      'g.due_on',
      'g.status',
      'g.done_on',
      'g.done_by',
      'g.created_by',
    ])
    .where(cols(scope, 'g'))
    .where('g.provider_id', '=', providerId)
    .orderBy('g.due_on')
    .orderBy('g.id')
    .execute();
  return rows.map((r) => {
    const a = {
      id: r.id,
      conversationId: r.conversation_id,
      conversation: `K${r.quarter} ${r.year}`,
      year: r.year,
      quarter: r.quarter,
      description: r.description,
      owner: r.owner,
      dueOn: day(r.due_on),
      status: r.status as 'open' | 'done',
      doneOn: r.done_on ? day(r.done_on) : null,
      doneBy: r.done_by,
      createdBy: r.created_by,
    };
    return { ...a, overdue: isOverdue(a, today) };
  });
}

/** The conversations of one provider (newest first) with their agreements, and the open ones (overdue flagged). */
export async function listConversations(db: Db, scope: DataScope, providerId: number, today: string) {
  readable(scope, providerId);
  const rows = await typed(db)
    .selectFrom('provider_conversation as c')
    .select(['c.id', 'c.year', 'c.quarter', 'c.held_on', 'c.participants', 'c.minutes', 'c.recorded_by', 'c.recorded_at'])
    .where(cols(scope, 'c'))
    .where('c.provider_id', '=', providerId)
    .orderBy('c.year', 'desc')
    .orderBy('c.quarter', 'desc')
    .execute();
  const all = await agreements(db, scope, providerId, today);
  const open = all.filter((a) => a.status === 'open');
  return {
    conversations: rows.map((c) => ({
      id: c.id,
      year: c.year,
      quarter: c.quarter,
      heldOn: day(c.held_on),
      participants: c.participants,
      minutes: c.minutes,
      recordedBy: c.recorded_by,
      recordedAt: new Date(c.recorded_at).toISOString(),
      agreements: all.filter((a) => a.conversationId === c.id),
    })),
    open,
    overdue: open.filter((a) => a.overdue).length,
  };
}

/** The open agreements of conversations before this quarter: the last item of the next agenda. */
export async function openAgreementsBefore(db: Db, scope: DataScope, providerId: number, year: number, quarter: number, today: string) {
  return (await agreements(db, scope, providerId, today)).filter((a) => a.status === 'open' && a.year * 4 + a.quarter < year * 4 + quarter);
}

export const agreementFact = (a: { conversation: string; description: string; owner: string; dueOn: string; overdue: boolean }) =>
  `${a.description} (afgesproken ${a.conversation}; eigenaar ${a.owner}; uiterlijk ${a.dueOn}${a.overdue ? '; te laat' : ''})`;

export interface ConversationInput {
  year: number;
  quarter: number;
  heldOn: string;
  participants: string[];
  minutes: string;
  agreements?: AgreementInput[];
}

function checkConversation(input: Omit<ConversationInput, 'agreements'>, today: string) {
  if (input.heldOn > today) throw badRequest(`het gesprek van ${input.heldOn} is nog niet gehouden: leg het verslag vast na het gesprek`, 'heldOn');
  const participants = input.participants.map((p) => p.trim()).filter(Boolean);
  if (!participants.length) throw badRequest('noem wie aan het gesprek deelnamen', 'participants');
  if (!input.minutes.trim()) throw badRequest('schrijf het verslag', 'minutes');
  return { ...input, participants, minutes: input.minutes.trim() };
}

/** Records the minutes of one quarter's conversation, with the agreements made in it, as one change. */
export async function createConversation(
  db: Db,
  scope: DataScope,
  account: Account,
  providerId: number,
  input: ConversationInput,
  today: string,
): Promise<number> {
  regionOnly(scope);
  const c = checkConversation(input, today);
  const list = (input.agreements ?? []).map((a, i) => checkAgreement(a, c.heldOn, `agreements.${i}.`));
  const q = typed(db);
  if (!(await q.selectFrom('provider').select('id').where('id', '=', providerId).executeTakeFirst())) throw notFound(`Aanbieder ${providerId}`);
  const existing = await q
    .selectFrom('provider_conversation as c')
    .select('c.id')
    .where(cols(scope, 'c'))
    .where('c.provider_id', '=', providerId)
    .where('c.year', '=', c.year)
    .where('c.quarter', '=', c.quarter)
    .executeTakeFirst();
  if (existing)
    throw new AppError(
      409,
      'Bestaat al',
      `er is al een verslag van het gesprek over K${c.quarter} ${c.year} (${existing.id}); wijzig dat verslag`,
      'quarter',
      'dubbel',
    );
  return db.transaction(async (tx) => {
    const t = typed(tx);
    const { id } = await t
      .insertInto('provider_conversation')
      .values({
        region_id: scope.regionId,
        provider_id: providerId,
        year: c.year,
        quarter: c.quarter,
        held_on: c.heldOn,
        participants: c.participants,
        minutes: c.minutes,
        recorded_by: account.displayName,
      })
      .returning('id')
      .modifyEnd(SCOPE_CHECKED)
      .executeTakeFirstOrThrow();
    if (list.length) {
      await t
        .insertInto('provider_agreement')
        .values(
          list.map((a) => ({
            conversation_id: id,
            region_id: scope.regionId,
            provider_id: providerId,
            description: a.description,
            owner: a.owner,
            due_on: a.dueOn,
            created_by: account.displayName,
          })),
        )
        .modifyEnd(SCOPE_CHECKED)
        .execute();
    }
    return id;
  });
}

async function conversationInScope(db: Db, scope: DataScope, id: number) {
  const c = await typed(db)
    .selectFrom('provider_conversation as c')
    .select(['c.id', 'c.provider_id', 'c.held_on', 'c.year', 'c.quarter', 'c.participants', 'c.minutes'])
    .where(cols(scope, 'c'))
    .where('c.id', '=', id)
    .executeTakeFirst();
  if (!c) throw notFound(`Gesprek ${id}`);
  return c;
}

/** Corrects the minutes, date or participants of a conversation. */
export async function updateConversation(
  db: Db,
  scope: DataScope,
  account: Account,
  id: number,
  input: Partial<Pick<ConversationInput, 'heldOn' | 'participants' | 'minutes'>>,
  today: string,
) {
  regionOnly(scope);
  const c = await conversationInScope(db, scope, id);
  const next = checkConversation(
    {
      year: c.year,
      quarter: c.quarter,
      heldOn: input.heldOn ?? day(c.held_on),
      participants: input.participants ?? c.participants,
      minutes: input.minutes ?? c.minutes,
    },
    today,
  );
  await typed(db)
    .updateTable('provider_conversation as c')
    .set({ held_on: next.heldOn, participants: next.participants, minutes: next.minutes, recorded_by: account.displayName })
    .where(cols(scope, 'c'))
    .where('c.id', '=', id)
    .execute();
}

export async function addAgreement(db: Db, scope: DataScope, account: Account, conversationId: number, input: AgreementInput): Promise<number> {
  regionOnly(scope);
  const c = await conversationInScope(db, scope, conversationId);
  const a = checkAgreement(input, day(c.held_on));
  const { id } = await typed(db)
    .insertInto('provider_agreement')
    .values({
      conversation_id: conversationId,
      region_id: scope.regionId,
      provider_id: c.provider_id,
      description: a.description,
      owner: a.owner,
      due_on: a.dueOn,
      created_by: account.displayName,
    })
    .returning('id')
    .modifyEnd(SCOPE_CHECKED)
    .executeTakeFirstOrThrow();
  return id;
}

/** Marks an agreement done (on a date, default today) or open again; owner, due date and text can be corrected. */
export async function updateAgreement(
  db: Db,
  scope: DataScope,
  account: Account,
  id: number,
  input: { status?: 'open' | 'done'; doneOn?: string; description?: string; owner?: string; dueOn?: string },
  today: string,
) {
  regionOnly(scope);
  const q = typed(db);
  const g = await q
    .selectFrom('provider_agreement as g')
    .innerJoin('provider_conversation as c', 'c.id', 'g.conversation_id')
    .select(['g.id', 'g.description', 'g.owner', 'g.due_on', 'g.status', 'c.held_on'])
    .where(cols(scope, 'g'))
    .where('g.id', '=', id)
    .executeTakeFirst();
  if (!g) throw notFound(`Afspraak ${id}`);
  const a = checkAgreement(
    { description: input.description ?? g.description, owner: input.owner ?? g.owner, dueOn: input.dueOn ?? day(g.due_on) },
    day(g.held_on),
  );
  const status = input.status ?? (g.status as 'open' | 'done');
  const doneOn = status === 'done' ? (input.doneOn ?? today) : null;
  if (doneOn && doneOn > today) throw badRequest(`een afspraak kan niet in de toekomst (${doneOn}) zijn nagekomen`, 'doneOn');
  await q
    .updateTable('provider_agreement as g')
    .set({
      description: a.description,
      owner: a.owner,
      due_on: a.dueOn,
      status,
      done_on: doneOn,
      done_by: status === 'done' ? account.displayName : null,
    })
    .where(cols(scope, 'g'))
    .where('g.id', '=', id)
    .execute();
  return { status, overdue: isOverdue({ status, dueOn: a.dueOn }, today) };
}
