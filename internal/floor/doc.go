// Package floor is a meeting's speakers' queue: requests for the floor, the
// order they will be called in with a sentence saying why, the turns at the
// floor with their clock, and the quotas (rights of reply, time budgets).
//
// The package is pure: no I/O, no clock, no randomness of its own. A [State]
// is the fold of a meeting's queue events ([Event]), which the meeting
// aggregate records on the ledger; times come in the events as Unix
// milliseconds of the server's clock. The same events always give the same
// [State.Order]: the order depends on nothing else (no map iteration, no
// clock), so anyone replaying the ledger sees the order the meeting showed.
// Rights are not checked here: the meeting aggregate checks the rights
// matrix; floor records who asked (Request.By) and from where (Origin).
//
// # The order
//
// [State.Order] lists the waiting requests on the item under discussion:
//
//  1. Points of order, first come first served. They cannot be moved, are
//     never blocked by a time budget, and nothing is placed ahead of them.
//  2. Questions to the current speaker (interposed questions), first come
//     first served.
//  3. Requests to speak, slot by slot, by the meeting's [Policy].
//  4. Rights of reply, first come first served: they are taken at the end of
//     the item.
//  5. Blocked requests, whose party or group has used its time budget, in
//     order of request, each with the reason in Place.Blocked.
//
// Requests to speak are placed by a simulation that continues from what the
// item has seen so far. For each slot: the alternation (for example four in
// the room, then two remote; hubs are remote) picks the slot's origin, or
// the other origin when nobody of that origin is waiting, and says so; the
// rotation picks the stakeholder group after the last one given the floor,
// in the stated order, passing over groups with nobody waiting, and says so
// (speakers from groups outside the rotation come when no group in it has
// anyone waiting); then protocol precedence (lower rank first; unranked
// last), least speaking time so far (of the party, or of the speaker when
// there is no party; each speaker placed in the simulation counts at the
// full time limit of the kind), drawing by lots ([LotKey] of the recorded
// seed and the request id) and finally order of request (At, then ID). The
// Why sentence names each rule that decided the place.
//
// A request the chair moved is pinned at its position, counted among the
// places after the points of order (so a point of order arriving later goes
// ahead of it and it keeps its place relative to the other speakers). A
// later move to the same position takes it, and the earlier pin moves down
// one. A pinned request to speak counts in the simulation as a speaker
// served in its slot. Its Why is "Moved by the chair: <reason>."
//
// Times in Why sentences are written by [State.SetTimeFormat]'s function;
// by default as the UTC time of day, "10:02:13 UTC".
//
// # Items
//
// A request is on an agenda item: the one under discussion when it is made,
// unless it names another. Opening an item ("item" event) reopens the list,
// restarts the rotation and the alternation, and starts the item's rights of
// reply afresh. Requests on other items stay waiting but are not in Order
// and cannot be given the floor until their item is under discussion again.
//
// # Rules of the queue
//
// When the list is closed only points of order and rights of reply are
// accepted. A right of reply names an earlier turn, and counts against its
// party's cap on the item (default 2) when it is requested; withdrawn or
// removed before it is taken, it is given back. A question is accepted only
// while a speaker has the floor and is addressed to that speaker.
//
// The chair gives the floor to any waiting request on the item, not only the
// first one, except to a request over its time budget. While someone has
// the floor, only a point of order, or a question to the speaker at the
// floor, may be given the floor: it interrupts the turn, whose clock pauses,
// and when it finishes the interrupted turn comes back to the floor, still
// paused, until the chair resumes its clock. Anything else must wait until
// the turn is finished. The chair rules on a point of order once it has
// been given the floor (during it or after), once.
//
// # Time
//
// Each turn has the time limit of its kind ([Policy.Limit]). Its clock
// starts at "started", not at "given"; pauses are not counted; "finished"
// stops it. Overtime is [Turn.Overtime] at the end of the turn, kept in
// [State.Turns]. Time budgets per party or group count the finished turns
// and the turns at the floor.
package floor
