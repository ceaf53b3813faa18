// Package decide is how a forum decides: consensus calls, straw polls and
// formal votes, each a distinct kind named for what it is ([Kind.Label]),
// and packages of decisions ("nothing is agreed until everything is
// agreed").
//
// The package is pure: no I/O, no clock, and no randomness of its own (a
// secret ballot's nonce is read from the io.Reader the caller gives). Each
// decision is the fold of its events, as floor folds a speakers' queue:
// [Consensus] of [ConsensusEvent]s, [Straw] of [StrawEvent]s, [Voting] of
// [VoteEvent]s, each with Apply and a Replay function. Apply refuses an
// event the state does not allow with a *plenary.Error naming the rule, and
// changes nothing. Events and results are plain data, stored as JSON and
// replayed. Times are Unix milliseconds of the server's clock, in the
// events.
//
// Rights are not read here. The command layer asks the rights matrix
// (rules.Matrix.Check) and states the answer in the event ([Right]: held,
// or the matrix's sentence to quote), with the facts eligibility depends
// on ([Voter]: head of delegation or named delegate, presence,
// credentials, proxy), so the record holds why each act was accepted and a
// replay decides the same.
//
// # Consensus calls
//
// The chair opens a call on a subject (a draft revision, provisions, an
// agenda item or a procedural question), in the room until the chair
// closes it, or as a written silence procedure until a stated time.
// Parties with the right to object may object, with a reason and
// optionally provisions; an objection may be withdrawn by its party. The
// first objection breaks a silence procedure: the call then waits for the
// chair's finding (objections are still received until the stated time).
// A silence kept to its end is adopted ([SilenceKept]). The chair's
// findings: adopted (no objection stands), adopted with objections
// addressed (IETF rough consensus: the chair writes how each standing
// objection was addressed, and the finding is refused naming the first one
// not addressed), or not adopted. After adoption, parties file
// explanations of position, one each.
//
// # Straw polls
//
// A straw poll measures the room and decides nothing. Its counts are
// entered by the secretariat (a show of placards) or answered from devices
// (one answer per participant, which may change until it closes),
// optionally per stakeholder group. It has no outcome, no function turns
// it into a decision, and its result says so: [StrawResult.Binding] is
// false, its JSON has "binding": false, and it carries [StrawNotice].
//
// # Formal votes
//
// A vote is by show of hands (the secretariat enters the tally),
// roll-call (the delegations called in the order [RollCallOrder] draws,
// each answer public, those not answering recorded as not participating),
// recorded vote (each delegation's vote public) or secret ballot. Each
// ballot is checked by [Eligible] and then for one vote per party and one
// proxy per delegation. [Compute] applies the majority (simple, two-thirds,
// absolute) and the quorum and explains the result:
//
//	77 for, 33 against: 77 > 55 of 110 present and voting; 8 abstentions not counted. Adopted.
//
// Results may be hidden until the close ([VoteRules.HideResults]);
// [Voting.View] is what anyone may see of a running vote.
//
// # Secret ballots
//
// Who voted is public ([Voting.Voters]); the ballots ([Ballot]: receipt
// and choice) are kept apart, in receipt order, and published when the vote
// closes. Each voter keeps a [Receipt] and checks its ballot is in the list
// ([VerifyReceipt]); anyone recomputes the tally ([TallyBallots]); the
// list's hash ([BallotListHash]) goes on the record. docs/SECRET_BALLOT.md
// says what this protects against and what it does not.
//
// # Packages
//
// [PackageOutcome] holds each decision of a package provisional until the
// package is decided, and makes every one fall if the package fails;
// [PackageStatus] says so in words.
package decide
