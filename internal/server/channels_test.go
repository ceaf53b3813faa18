package server_test

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/plenary-forum/plenary/internal/consultation"
	"github.com/plenary-forum/plenary/internal/decide"
	"github.com/plenary-forum/plenary/internal/decisions"
	"github.com/plenary-forum/plenary/internal/demo"
	"github.com/plenary-forum/plenary/internal/documents"
	"github.com/plenary-forum/plenary/internal/drafting"
	"github.com/plenary-forum/plenary/internal/finalacts"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/ledger"
	"github.com/plenary-forum/plenary/internal/meetings"
	"github.com/plenary-forum/plenary/internal/participation"
	"github.com/plenary-forum/plenary/internal/rules"
	"github.com/plenary-forum/plenary/internal/server/servertest"
	"github.com/plenary-forum/plenary/internal/web"
	// The decisions' events are worded there; the decision pages register it with the site.
	_ "github.com/plenary-forum/plenary/internal/web/decisions"
)

// channelPersona is one way of looking at a forum.
type channelPersona struct {
	name    string
	actor   forum.Actor
	browser *servertest.Client // cookie session (anonymous when not logged in)
	api     *servertest.Client // bearer token (anonymous when not logged in)
}

// TestWhatAParticipantMayNotReadStaysOutOfEveryChannel looks at every
// forum of the demo as each of its personas (and a guest invited with no
// rights, and the public) through every channel that shows ledger events:
// the ledger export, the API's and the web's live streams (replayed from
// the start), the Record page and the forum page's activity list. For every
// event, the one read check (the documents' check of a thing of that
// visibility, for that persona) says whether the persona may read what it
// is about; an event it may not read must not show its content anywhere:
// redacted in the export, absent from the streams, and none of its
// payload's words on the pages.
//
// Before looking, it records an event of every type the demo lacks
// (recordEveryEventType), each in its most restricted realistic case. It
// also iterates over every event type the pages know how to describe: each
// must occur in some forum's ledger, so that a new type cannot escape this
// check.
func TestWhatAParticipantMayNotReadStaysOutOfEveryChannel(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the demo")
	}
	s := servertest.New(t)
	ctx := context.Background()
	if err := demo.Load(ctx, s.Svc); err != nil {
		t.Fatal(err)
	}
	k := s.Svc.Kernel

	var personas []channelPersona
	personas = append(personas, channelPersona{name: "anonymous", actor: forum.Anonymous, browser: s.Client(), api: s.Client()})
	for _, key := range []string{"secretariat", "chair", "member_state", "sector_member", "civil_society", "public"} {
		l := demo.LoginByKey(key)
		u, err := s.Svc.Accounts.UserByEmail(ctx, l.Email)
		if err != nil {
			t.Fatal(err)
		}
		a := forum.Actor{UserID: u.ID, Name: u.Name, Email: u.Email, Admin: u.Admin, Via: "test"}
		b := s.Client()
		b.LoginWithPassword(l.Email, l.Password)
		personas = append(personas, channelPersona{name: key, actor: a, browser: b, api: s.APIToken(a)})
	}
	// A guest invited to WTPF-13 with no rights beyond attending.
	sec := personas[1].actor
	guest := s.User("guest.norights@example.org", "Gwen Guest", false)
	none := []string{}
	if _, err := s.Svc.Participation.InviteGuest(ctx, mustScope(t, k, sec, demo.WTPFSlug), participation.GuestInput{
		Email: guest.Email, Mode: "in_room", Statement: "Invited by the chair to attend.", Grants: &none}); err != nil {
		t.Fatal(err)
	}
	gb := s.Client()
	gb.Login(guest.Email)
	personas = append(personas, channelPersona{name: "guest without rights", actor: guest, browser: gb, api: s.APIToken(guest)})
	recordEveryEventType(t, s, sec, personas[2].actor, personas[3].actor)
	recordFinalActsEvents(t, s, sec, personas[2].actor)

	forums, err := k.Forums(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// The discarded forum is not listed, and its channels are open.
	discarded, err := k.ForumBySlug(ctx, discardedSlug)
	if err != nil {
		t.Fatal(err)
	}
	forums = append(forums, discarded)
	seenTypes := map[string]bool{}
	checked := 0
	for _, f := range forums {
		evs, err := s.Store.EventsAfter(ctx, f.ID, 0, 100000)
		if err != nil {
			t.Fatal(err)
		}
		for _, ev := range evs {
			seenTypes[ev.Type] = true
		}
		for _, p := range personas {
			sc, err := k.Scope(ctx, p.actor, f.Slug)
			if err != nil {
				t.Fatal(err)
			}
			// The one read check, by visibility.
			may := map[string]bool{}
			for _, ev := range evs {
				if _, ok := may[ev.Visibility]; !ok {
					may[ev.Visibility] = s.Svc.Documents.CheckReadable(ctx, sc, "it", ev.Visibility) == nil
				}
			}
			// Words an allowed event shows may appear anywhere; those of a
			// refused event may not, unless an allowed one shows them too.
			allowedWords := map[string]bool{}
			for _, ev := range evs {
				if may[ev.Visibility] {
					for _, w := range payloadWords(ev) {
						allowedWords[w] = true
					}
				}
			}
			var secret []string
			refused := map[int64]bool{}
			for _, ev := range evs {
				if may[ev.Visibility] {
					continue
				}
				refused[ev.Seq] = true
				for _, w := range payloadWords(ev) {
					if !allowedWords[w] {
						secret = append(secret, w)
					}
				}
			}
			where := f.Slug + " as " + p.name

			// The ledger export: refused events redacted.
			exp := p.api.Get("/api/v1/forums/" + f.Slug + "/ledger")
			if exp.StatusCode != http.StatusOK {
				t.Fatalf("%s: export: %d", where, exp.StatusCode)
			}
			for _, line := range strings.Split(strings.TrimSpace(exp.Body), "\n") {
				var e struct {
					Seq     int64           `json:"seq"`
					Payload json.RawMessage `json:"payload"`
				}
				if json.Unmarshal([]byte(line), &e) != nil || e.Seq == 0 {
					continue
				}
				if refused[e.Seq] && len(e.Payload) > 0 && string(e.Payload) != "null" {
					t.Errorf("%s: the export shows the payload of event %d", where, e.Seq)
				}
			}
			// The live streams, replayed from the start.
			var wg sync.WaitGroup
			var apiSeqs, webSeqs []int64
			wg.Add(2)
			go func() { defer wg.Done(); apiSeqs = streamSeqs(t, s, p.api, "/api/v1/forums/"+f.Slug+"/events?since=0") }()
			go func() { defer wg.Done(); webSeqs = streamSeqs(t, s, p.browser, "/forums/"+f.Slug+"/events?since=0") }()
			wg.Wait()
			for name, seqs := range map[string][]int64{"API stream": apiSeqs, "web stream": webSeqs} {
				for _, seq := range seqs {
					if refused[seq] {
						t.Errorf("%s: the %s delivers event %d", where, name, seq)
					}
				}
			}
			// The pages: the Record page (every page of it) and the forum's
			// activity list.
			pages := []string{p.browser.Get("/forums/" + f.Slug).Body}
			for path := "/forums/" + f.Slug + "/record"; path != ""; {
				r := p.browser.Get(path)
				if r.StatusCode != http.StatusOK {
					t.Fatalf("%s: %s: %d", where, path, r.StatusCode)
				}
				pages = append(pages, r.Body)
				path = olderLink(r.Body)
			}
			for _, w := range secret {
				for i, body := range pages {
					if strings.Contains(body, htmlEscape(w)) {
						page := "the forum page"
						if i > 0 {
							page = "the Record page"
						}
						t.Errorf("%s: %s shows %q from an event it may not read", where, page, w)
					}
				}
			}
			checked++
		}
	}
	if checked == 0 {
		t.Fatal("nothing checked")
	}
	// Every event type the pages describe occurs in the demo or in
	// recordEveryEventType, so the check above covers it.
	var missing []string
	for _, typ := range web.DescribedTypes() {
		if !seenTypes[typ] && !notInTheDemo[typ] {
			missing = append(missing, typ)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("event types neither the demo nor recordEveryEventType records, so no channel is checked for them: %v (record them in recordEveryEventType, or add them to notInTheDemo with a reason)", missing)
	}
	for typ := range seenTypes {
		if !web.IsDescribed(typ) {
			t.Errorf("the ledger has %s events, which no page describes", typ)
		}
	}
}

// notInTheDemo are event types that no forum's ledger has, each with why
// its content cannot leak.
var notInTheDemo = map[string]bool{
	// Account events are on the site chain, which no forum channel shows.
	"user.created": true, "token.created": true, "token.revoked": true,
}

// recordEveryEventType records, through the real commands, an event of each
// type the demo does not record, each in the most restricted case a forum
// would meet, so that the channels are checked for it too. sec, chair and
// bra are the demo's secretariat officer, chair (the editor of the draft
// opinions) and Brazil's delegate (its focal point) in WTPF-13.
func recordEveryEventType(t *testing.T, s *servertest.Site, sec, chair, bra forum.Actor) {
	t.Helper()
	ctx := context.Background()
	k, docs, drafts, part := s.Svc.Kernel, s.Svc.Documents, s.Svc.Drafting, s.Svc.Participation
	wtpf := func(a forum.Actor) *forum.Scope { return mustScope(t, k, a, demo.WTPFSlug) }
	must := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("recording %s: %v", what, err)
		}
	}

	// forum.deadline_extended (public): the demo's contributions closed in
	// 2013; the secretariat extends the deadline for a late paper.
	_, err := k.SetDeadline(ctx, wtpf(sec), forum.DeadlineInput{Kind: "contributions", Due: "2099-12-31",
		Reason: "Brazil's delegation asked for time to consult its regulator"})
	must("forum.deadline_extended", err)
	// A members-only contribution of Brazil, which then goes to its delegation alone and is withdrawn.
	doc, err := docs.SubmitDocument(ctx, wtpf(bra), documents.DocumentInput{Type: documents.DocContribution, Visibility: "members",
		Title: "Brazil: fallback position on the roles of stakeholders", Body: "wg3", Languages: []string{"en"},
		Text: "Brazil could accept the reference to respective roles if the second invitation stays in the operative part."})
	must("a members-only contribution", err)
	// document.file_attached (members): a file whose name says what the delegation will concede.
	_, err = docs.AttachFile(ctx, wtpf(bra), doc.ID, documents.AttachInput{FileInput: documents.FileInput{
		Name: "Concessions we could make on respective roles.txt", Language: "en",
		Content: strings.NewReader("Brazil could drop the words on an equal footing in exchange for the second invitation.\n")}})
	must("document.file_attached", err)
	// document.visibility_changed (public, without the title): from members to Brazil's delegation.
	_, err = docs.SetDocumentVisibility(ctx, wtpf(sec), doc.ID, documents.VisibilityInput{Visibility: "delegation"})
	must("document.visibility_changed", err)
	// document.withdrawn (party:BRA): withdrawn by Brazil with a reason of its own.
	_, err = docs.WithdrawDocument(ctx, wtpf(bra), doc.ID, "Overtaken by the informal agreement reached with the United States")
	must("document.withdrawn", err)
	// forum.deadline_brought_forward (public): the extension ends.
	_, err = k.SetDeadline(ctx, wtpf(sec), forum.DeadlineInput{Kind: "contributions", Due: demo.ContributionsDue,
		Reason: "The paper it was extended for is withdrawn"})
	must("forum.deadline_brought_forward", err)

	// forum.compilations_setting_changed (public): WTPF-13 anonymises its compilations.
	_, err = drafts.SetCompilationsAnonymised(ctx, wtpf(sec), true)
	must("forum.compilations_setting_changed", err)
	// A members-only draft filed by its editor, on which Brazil proposes and then withdraws.
	dt, err := drafts.CreateDraft(ctx, wtpf(chair), drafting.DraftInput{Visibility: "members", Body: "wg3", Languages: []string{"en"},
		Text: "# Draft Opinion 6: Supporting operationalizing the enhanced cooperation process\n\n*is of the view*\n\n" +
			"1. that the enhanced cooperation process should be taken forward by all stakeholders in their respective roles;\n"})
	must("a members-only draft", err)
	// drafting.attribution (secretariat): who proposed, with the rationale, apart from the members-only proposal.
	am, err := drafts.ProposeAmendment(ctx, wtpf(bra), dt.ID, drafting.ProposalInput{Op: "MOD", Provision: "p1",
		Text:      "that the enhanced cooperation process should be taken forward by governments, in consultation with all stakeholders;",
		Rationale: "Governments alone answer for public policy in the capitals."})
	must("drafting.attribution", err)
	// amendment.withdrawn (members), with its own drafting.attribution (secretariat).
	_, err = drafts.WithdrawAmendment(ctx, wtpf(bra), dt.ID, am.ID, "Brazil will raise it informally with the chair instead")
	must("amendment.withdrawn", err)

	// consultation.* (members): a comment period on the members-only
	// draft, a comment hidden for what it says, answered, and a campaign.
	cs := s.Svc.Consultation
	per, err := cs.OpenPeriod(ctx, wtpf(sec), consultation.PeriodInput{Draft: dt.ID, Title: "Members' comments on Opinion 6",
		Closes: time.Now().Add(time.Hour)})
	must("consultation.period_opened", err)
	_, err = cs.ExtendPeriod(ctx, wtpf(sec), per.ID, consultation.ExtendInput{Closes: time.Now().Add(2 * time.Hour),
		Reason: "Brazil's capital asked for a day more"})
	must("consultation.period_extended", err)
	var refs []string
	for range 2 {
		c, err := cs.SubmitComment(ctx, wtpf(bra), per.ID, consultation.CommentInput{Group: "government", Organisation: "Brazil's regulator",
			Target: consultation.TargetProvision, Provision: "p1", Text: "Brazil's regulator would accept governments leading, privately.", Address: "192.0.2.7"})
		must("consultation.comment_submitted", err)
		refs = append(refs, c.Ref)
	}
	_, err = cs.HideComment(ctx, wtpf(sec), refs[0], "It names an official of the regulator")
	must("consultation.comment_hidden", err)
	_, err = cs.UnhideComment(ctx, wtpf(sec), refs[0])
	must("consultation.comment_unhidden", err)
	_, err = cs.Dispose(ctx, wtpf(sec), refs[0], consultation.DispositionInput{Outcome: consultation.Noted, Reason: "Brazil's regulator is heard"})
	must("consultation.comment_disposed", err)
	n, _ := consultation.ParseRef(refs[0])
	_, err = cs.DisposeCampaign(ctx, wtpf(sec), per.ID, n, consultation.DispositionInput{Outcome: consultation.Noted, Reason: "Heard as one"})
	must("consultation.campaign_disposed", err)
	// The opinion map of the members-only period: statements seeded,
	// submitted, rejected and accepted, a vote, and a conversation
	// imported.
	must("consultation.opinion_enabled", cs.EnableOpinionMap(ctx, wtpf(sec), per.ID))
	_, err = cs.SeedStatements(ctx, wtpf(sec), per.ID, []string{"p1"})
	must("consultation.statement_seeded", err)
	var sts []consultation.Statement
	for _, body := range []string{"Brazil's regulator could live with governments in the lead.", "Governments alone answer for public policy."} {
		st, err := cs.SubmitStatement(ctx, wtpf(bra), per.ID, consultation.StatementInput{Text: body, Group: "government"})
		must("consultation.statement_submitted", err)
		sts = append(sts, st)
	}
	_, err = cs.ModerateStatement(ctx, wtpf(sec), per.ID, sts[0].Ref, consultation.ModerationInput{Reason: "It speaks for a regulator that has not said so"})
	must("consultation.statement_rejected", err)
	_, err = cs.ModerateStatement(ctx, wtpf(sec), per.ID, sts[1].Ref, consultation.ModerationInput{Accept: true})
	must("consultation.statement_accepted", err)
	_, err = cs.Vote(ctx, wtpf(bra), per.ID, consultation.VoteInput{Statement: sts[1].Ref, Vote: consultation.Agree})
	must("consultation.voted", err)
	_, err = cs.ImportConversation(ctx, wtpf(sec), per.ID, consultation.ImportInput{Source: "capitals",
		Statements: []consultation.ImportStatement{{External: "1", Text: "The capitals should decide the roles of stakeholders."}},
		Votes:      []consultation.ImportVote{{Voter: "brasilia", Statement: "1", Value: 1}}})
	must("consultation.statements_imported and consultation.votes_imported", err)
	_, err = cs.ClosePeriod(ctx, wtpf(sec), per.ID)
	must("consultation.period_closed", err)

	// transcript.added, transcript.imported, intervention.statement_attached
	// (members): the record of a closed meeting, where Brazil spoke.
	ms := s.Svc.Meetings
	closed, err := ms.ScheduleMeeting(ctx, wtpf(sec), meetings.MeetingInput{Body: "wg3", Number: "WG3-INF", Title: "Informal consultations on Opinion 6",
		Date: "2013-05-15", Start: "18:00", End: "19:00", Zone: "Europe/Zurich", Access: meetings.AccessClosed})
	must("a closed meeting", err)
	_, err = ms.ChangeState(ctx, wtpf(chair), closed.ID, "open", "")
	must("a closed meeting opened", err)
	req, err := ms.RequestFloor(ctx, wtpf(bra), closed.ID, meetings.RequestInput{})
	must("Brazil asks for the floor", err)
	must("the floor given", ms.GiveFloor(ctx, wtpf(chair), closed.ID, req.ID))
	must("the turn finished", ms.FinishTurn(ctx, wtpf(chair), closed.ID, ""))
	_, err = ms.AddTranscript(ctx, wtpf(sec), closed.ID, req.ID, "Brazil could accept respective roles if the second invitation stays.")
	must("transcript.added", err)
	_, err = ms.ImportWebVTT(ctx, wtpf(sec), closed.ID, strings.NewReader("WEBVTT\n\n00:00:00.000 --> 00:00:02.000\nBrazil will not insist.\n"), time.Now())
	must("transcript.imported", err)
	st, err := docs.SubmitDocument(ctx, wtpf(bra), documents.DocumentInput{Type: documents.DocStatement, Visibility: "members",
		Title: "Brazil: statement in the informal consultations", Text: "Brazil could accept the reference to respective roles."})
	must("a members-only statement", err)
	_, err = ms.AttachStatement(ctx, wtpf(sec), closed.ID, req.ID, st.ID)
	must("intervention.statement_attached", err)

	// The decisions' events (members), in the closed meeting: Draft
	// Opinion 6 adopted by consensus after Brazil objects and withdraws
	// (decision.opened, .objected, .objection_withdrawn, .closed,
	// draft.adopted), Brazil explains its position, and the chair reopens
	// the text (decision.draft_reopened, draft.reopened).
	ds := s.Svc.Decisions
	call, err := ds.OpenConsensus(ctx, wtpf(chair), decisions.ConsensusInput{OpenInput: decisions.OpenInput{Meeting: closed.ID,
		Title: "Draft Opinion 6 in the informal consultations", Subject: decisions.SubjectInput{Kind: decide.OnRevision, Draft: dt.ID}}})
	must("decision.opened", err)
	obj, err := ds.Object(ctx, wtpf(bra), call.ID, decisions.ObjectionInput{Reason: "Brazil cannot accept governments alone in paragraph 1 of the informal text"})
	must("decision.objected", err)
	must("decision.objection_withdrawn", ds.WithdrawObjection(ctx, wtpf(bra), call.ID, obj.ID))
	_, err = ds.CloseConsensus(ctx, wtpf(chair), call.ID, decisions.FindingInput{Finding: decide.FoundAdopted})
	must("decision.closed and draft.adopted", err)
	_, err = ds.FileExplanation(ctx, wtpf(bra), call.ID, decisions.ExplanationInput{Text: "Brazil joins consensus on the informal text on the understanding that governments consult all stakeholders"})
	must("decision.explained", err)
	must("decision.draft_reopened and draft.reopened", ds.ReopenDraft(ctx, wtpf(chair), dt.ID, decisions.ReopenInput{Meeting: closed.ID,
		Reason: "Brazil asked to revisit the informal text after consulting its regulator"}))
	// decision.poll_answered, .poll_counted and .poll_closed: a straw poll
	// answered from devices, and its totals entered.
	poll, err := ds.OpenStrawPoll(ctx, wtpf(chair), decisions.StrawInput{OpenInput: decisions.OpenInput{Meeting: closed.ID,
		Title: "Temperature of the informal consultations on respective roles"}, Entry: decide.Devices,
		Options: []decide.Option{{Key: "keep", Label: "Keep the informal wording on roles"}, {Key: "drop", Label: "Drop the informal wording on roles"}}})
	must("a straw poll", err)
	must("decision.poll_answered", ds.AnswerStrawPoll(ctx, wtpf(bra), poll.ID, decisions.StrawAnswerInput{Option: "drop"}))
	placards, err := ds.OpenStrawPoll(ctx, wtpf(chair), decisions.StrawInput{OpenInput: decisions.OpenInput{Meeting: closed.ID,
		Title: "Show of placards on the informal wording on roles"},
		Options: []decide.Option{{Key: "keep", Label: "Keep the informal wording on roles"}, {Key: "drop", Label: "Drop the informal wording on roles"}}})
	must("a straw poll by placards", err)
	_, err = ds.EnterStrawCounts(ctx, wtpf(sec), placards.ID, decisions.StrawCountsInput{Counts: []decide.Count{{Option: "keep", N: 4}, {Option: "drop", N: 2}}})
	must("decision.poll_counted", err)
	_, err = ds.CloseStrawPoll(ctx, wtpf(chair), poll.ID)
	must("decision.poll_closed", err)
	// decision.package_created, .tally_entered, .vote_closed and
	// .package_decided: a consensus call put in a package, decided by a
	// show of hands on the package as a whole.
	inPkg, err := ds.OpenConsensus(ctx, wtpf(chair), decisions.ConsensusInput{OpenInput: decisions.OpenInput{Meeting: closed.ID,
		Title: "The informal paragraph on the second invitation", Subject: decisions.SubjectInput{Kind: decide.OnQuestion,
			Text: "Whether the informal paragraph on the second invitation stays"}}})
	must("a call in a package", err)
	pkg, err := ds.CreatePackage(ctx, wtpf(chair), decisions.PackageInput{Meeting: closed.ID, Name: "The informal package on respective roles",
		Decisions: []string{inPkg.ID}})
	must("decision.package_created", err)
	hands, err := ds.OpenVote(ctx, wtpf(chair), decisions.VoteInput{OpenInput: decisions.OpenInput{Meeting: closed.ID,
		Title: "The informal package on respective roles as a whole", Subject: decisions.SubjectInput{Kind: decide.OnQuestion,
			Text: "Whether the informal package on respective roles is agreed"}}, Method: decide.ShowOfHands, Credentials: decide.NotConsulted})
	must("a show of hands", err)
	_, err = ds.EnterTally(ctx, wtpf(sec), hands.ID, decisions.TallyInput{Tally: decide.Tally{Yes: 3, No: 1, Abstain: 1}})
	must("decision.tally_entered", err)
	_, err = ds.CloseVote(ctx, wtpf(chair), hands.ID, decisions.CloseVoteInput{})
	must("decision.vote_closed", err)
	_, err = ds.DecidePackage(ctx, wtpf(chair), pkg.ID, decisions.PackageDecisionInput{Decision: hands.ID})
	must("decision.package_decided", err)
	// decision.ballot_cast (members): Brazil votes in a recorded vote in
	// a closed meeting of WCIT-12, where Member States vote.
	wcit := func(a forum.Actor) *forum.Scope { return mustScope(t, k, a, demo.WCITSlug) }
	wclosed, err := ms.ScheduleMeeting(ctx, wcit(sec), meetings.MeetingInput{Body: "plenary", Number: "PL-INF", Title: "Informal consultations of heads of delegation",
		Date: "2012-12-13", Start: "08:00", End: "09:00", Zone: "Asia/Dubai", Access: meetings.AccessClosed})
	must("a closed meeting of WCIT-12", err)
	_, err = ms.ChangeState(ctx, wcit(chair), wclosed.ID, "open", "")
	must("the closed meeting of WCIT-12 opened", err)
	rv, err := ds.OpenVote(ctx, wcit(chair), decisions.VoteInput{OpenInput: decisions.OpenInput{Meeting: wclosed.ID,
		Title: "Whether to take the informal text to the plenary", Subject: decisions.SubjectInput{Kind: decide.OnQuestion,
			Text: "Whether the informal text goes to the plenary"}}, Method: decide.Recorded})
	must("a recorded vote in a closed meeting", err)
	_, err = ds.CastVote(ctx, wcit(bra), rv.ID, decisions.CastInput{Choice: decide.No})
	must("decision.ballot_cast", err)
	_, err = ds.CloseVote(ctx, wcit(chair), rv.ID, decisions.CloseVoteInput{})
	must("the recorded vote closed", err)

	// registration.submitted (party:BRA): a new delegate asks to join Brazil's delegation and waits.
	pending := s.User("rafael.pending@example.org", "Rafael Pendente Souza", false)
	_, err = part.Register(ctx, wtpf(pending), participation.RegistrationInput{Party: "BRA", Role: "delegate",
		Affiliation: "Agencia Nacional de Telecomunicacoes"})
	must("registration.submitted", err)
	// registration.declined (party:BRA): Brazil's focal point declines another, with a reason.
	declined := s.User("diego.declined@example.org", "Diego Recusado Lima", false)
	r, err := part.Register(ctx, wtpf(declined), participation.RegistrationInput{Party: "BRA", Role: "adviser",
		Affiliation: "Consultoria Privada de Telecom"})
	must("a registration to decline", err)
	_, err = part.DeclineRegistration(ctx, wtpf(bra), r.ID, "Not on the list of advisers the Ministry sent to the secretariat")
	must("registration.declined", err)
	// registration.withdrawn (party:BRA): a third withdraws their own request, saying why.
	withdrawn := s.User("wanda.withdrawn@example.org", "Wanda Retirada Costa", false)
	r, err = part.Register(ctx, wtpf(withdrawn), participation.RegistrationInput{Party: "BRA", Role: "adviser",
		Affiliation: "Universidade Federal de Exemplo"})
	must("a registration to withdraw", err)
	_, err = part.WithdrawRegistration(ctx, wtpf(withdrawn), r.ID, "My university cannot fund the travel to Geneva this year")
	must("registration.withdrawn", err)

	// registration.office_removed (party:NGA): the chair sets the pen down, and takes it up again.
	chairRegs, err := part.MyRegistrations(ctx, chair)
	must("the chair's registrations", err)
	for _, cr := range chairRegs {
		if cr.ForumSlug == demo.WTPFSlug && cr.Holds(rules.RoleEditor) {
			_, err = part.RemoveOffice(ctx, wtpf(sec), cr.ID, participation.OfficeInput{Office: "editor", Reason: "The pen passes to the vice-chair for one session"})
			must("registration.office_removed", err)
			_, err = part.AssignOffice(ctx, wtpf(sec), cr.ID, participation.OfficeInput{Office: "editor", Reason: "The chair takes the pen back"})
			must("registration.office_assigned", err)
		}
	}

	// focal_point.removed (party:BRA): a second focal point of Brazil, appointed and then removed.
	fp, err := part.AppointFocalPoint(ctx, wtpf(sec), "BRA", pending.Email)
	must("a focal point", err)
	must("focal_point.removed", part.RemoveFocalPoint(ctx, wtpf(sec), "BRA", fp.UserID))

	// body.membership_changed (public): Working Group 3 limited to listed parties.
	_, err = part.SetBodyMembers(ctx, wtpf(sec), "wg3", []string{"BRA", "USA", "TUR", "EXTEL", "ISOC"})
	must("body.membership_changed", err)
	// body.officer_removed (public): Brazil's delegate appointed vice-chair of Working Group 3, then removed.
	o, err := part.AppointOfficer(ctx, wtpf(sec), "wg3", participation.OfficerInput{Email: bra.Email, Office: participation.OfficeViceChair})
	must("an officer", err)
	must("body.officer_removed", part.RemoveOfficer(ctx, wtpf(sec), "wg3", o.UserID))

	// group.added (public): a stakeholder group for parliamentarians.
	_, err = part.AddGroup(ctx, wtpf(sec), participation.NewGroupInput{RightsFrom: participation.NoRights, GroupInput: participation.GroupInput{Key: "parliament", Name: "Parliament", Plural: "Parliaments",
		Description: "National parliaments and their associations"}})
	must("group.added", err)
	// group.renamed (public): the group renamed to name its members rather than their parliaments.
	_, err = part.RenameGroup(ctx, wtpf(sec), "parliament", participation.GroupInput{Name: "Parliamentarian", Plural: "Parliamentarians",
		Description: "Members of national parliaments and their associations"})
	must("group.renamed", err)
	// party.added (public): a party of the new group.
	_, err = part.AddParty(ctx, wtpf(sec), participation.PartyInput{Code: "EXPARL", Name: "Example Parliamentary Union (fictitious)",
		Group: "parliament"})
	must("party.added", err)
	// party.updated (public): its name corrected, with the reason.
	full := "Example Parliamentary Union of the Americas (fictitious)"
	_, err = part.UpdateParty(ctx, wtpf(sec), "EXPARL", participation.PartyChange{Name: &full, Reason: "Its name as its statutes give it"})
	must("party.updated", err)
	// party.merged (public): the same union entered twice, with a delegate, merged into the first.
	_, err = part.AddParty(ctx, wtpf(sec), participation.PartyInput{Code: "EXPU", Name: "Example Parliamentary Union, Americas (fictitious)",
		Group: "parliament"})
	must("a duplicate party", err)
	member := s.User("marta.member@example.org", "Marta Miembro Ruiz", false)
	_, err = part.Register(ctx, wtpf(sec), participation.RegistrationInput{Email: member.Email, Party: "EXPU", Role: "delegate"})
	must("a delegate of the duplicate", err)
	_, err = part.MergeParties(ctx, wtpf(sec), "EXPU", participation.MergeInput{Into: "EXPARL", Reason: "Entered twice by two officers"})
	must("party.merged", err)
	// party.withdrawn (public): the union withdraws, and its delegate's registration with it.
	_, err = part.WithdrawParty(ctx, wtpf(sec), "EXPARL", "The union decided not to attend")
	must("party.withdrawn", err)

	// finalacts.revised (members): a members-only assembly of WCIT-12's adopted texts, whose title the secretariat corrects.
	faSc := mustScope(t, k, sec, demo.WCITSlug)
	fas, err := s.Svc.FinalActs.List(ctx, faSc)
	must("the demo's final acts", err)
	if len(fas) == 0 {
		t.Fatal("recording finalacts.revised: the demo has no final acts")
	}
	shown, err := s.Svc.FinalActs.FinalActs(ctx, faSc, fas[0].ID)
	must("the demo's final acts", err)
	draftOf := []finalacts.TextInput{{Draft: shown.Provisions[0].DraftID}}
	draftFA, err := s.Svc.FinalActs.Assemble(ctx, faSc, finalacts.AssembleInput{Title: "Final Acts: members' working copy before the corrigendum",
		Texts: draftOf, Visibility: "members", Note: "A working copy for the delegations."})
	must("members-only final acts", err)
	_, err = s.Svc.FinalActs.Revise(ctx, faSc, draftFA.ID, finalacts.ReviseInput{Kind: "corr", Title: "Final Acts: members' working copy, corrected",
		Note: "The secretariat corrects the title of the delegations' working copy."})
	must("finalacts.revised", err)

	// forum.updated and forum.status_changed (public), on a forum of their own so that the demo's stay open.
	f := s.Forum(sec, "wsis-10-review", "WSIS+10 review meeting")
	in := forum.ForumInput{Title: f.Title, Kind: f.Kind, Venue: "Geneva", Languages: []string{"en"},
		Description: "A one-day meeting to review the outcomes of the World Summit on the Information Society."}
	_, err = k.UpdateForum(ctx, mustScope(t, k, sec, f.Slug), in)
	must("forum.updated", err)
	// forum.deadline_removed (public): its registrations deadline, set and removed.
	_, err = k.SetDeadline(ctx, mustScope(t, k, sec, f.Slug), forum.DeadlineInput{Kind: "registrations", Due: "2099-12-31"})
	must("a deadline", err)
	_, err = k.SetDeadline(ctx, mustScope(t, k, sec, f.Slug), forum.DeadlineInput{Kind: "registrations", Reason: "Walk-in registration at the venue is allowed"})
	must("forum.deadline_removed", err)
	for _, status := range []string{forum.StatusOpen, forum.StatusClosed} {
		_, err = k.SetForumStatus(ctx, mustScope(t, k, sec, f.Slug), status)
		must("forum.status_changed", err)
	}
	// forum.reopened (public): with its reason.
	_, err = k.ReopenForum(ctx, mustScope(t, k, sec, f.Slug), "The closing session was adjourned to the next morning")
	must("forum.reopened", err)
	// forum.discarded (public): a forum set up by mistake, with a members-only document.
	d := s.Forum(sec, discardedSlug, "WSIS review (duplicate, set up by mistake)")
	_, err = docs.SubmitDocument(ctx, mustScope(t, k, sec, d.Slug), documents.DocumentInput{Type: documents.DocReport, Visibility: "members",
		Title: "Draft agenda of the duplicate review meeting", Text: "The duplicate meeting would have heard the regional reviews first."})
	must("a document in the discarded forum", err)
	_, err = k.DiscardForum(ctx, mustScope(t, k, sec, d.Slug), "A duplicate of wsis-10-review")
	must("forum.discarded", err)
}

// discardedSlug is the forum recordEveryEventType discards.
const discardedSlug = "wsis-duplicate"

func mustScope(t *testing.T, k *forum.Kernel, a forum.Actor, slug string) *forum.Scope {
	t.Helper()
	sc, err := k.Scope(context.Background(), a, slug)
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

// payloadWords are the longer strings of an event's payload: titles, texts,
// rationales, names.
func payloadWords(ev ledger.Event) []string {
	var p any
	if json.Unmarshal(ev.Payload, &p) != nil {
		return nil
	}
	var out []string
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case string:
			if len(x) >= 16 && !strings.HasPrefix(x, "01") && strings.Contains(x, " ") {
				out = append(out, x)
			}
		case []any:
			for _, y := range x {
				walk(y)
			}
		case map[string]any:
			for _, y := range x {
				walk(y)
			}
		}
	}
	walk(p)
	return out
}

func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;").Replace(s)
}

// olderLink returns the Record page's link to older events, or "".
func olderLink(body string) string {
	i := strings.Index(body, "?before=")
	if i < 0 {
		return ""
	}
	start := strings.LastIndex(body[:i], `"`) + 1
	end := strings.Index(body[i:], `"`) + i
	return strings.ReplaceAll(body[start:end], "&amp;", "&")
}

// chainOf is the chain of the forum a stream's path names.
func chainOf(t *testing.T, s *servertest.Site, path string) string {
	rest := path[strings.Index(path, "/forums/")+len("/forums/"):]
	slug, _, _ := strings.Cut(rest, "/")
	f, err := s.Svc.Kernel.ForumBySlug(context.Background(), slug)
	if err != nil {
		t.Error(err)
	}
	return f.ID
}

// streamSeqs replays a stream for a moment and returns the ids of the
// events it sent with their data.
func streamSeqs(t *testing.T, s *servertest.Site, c *servertest.Client, path string) []int64 {
	ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, "GET", s.URL+path, nil)
	if err != nil {
		t.Error(err)
		return nil
	}
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		t.Error(err)
		return nil
	}
	defer resp.Body.Close()
	head, _ := s.Store.HeadSeq(context.Background(), chainOf(t, s, path))
	// An event the viewer may not see is sent as its id alone, so that
	// the client's position moves; only events with data count.
	var seqs []int64
	var id int64
	data := false
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "":
			if data {
				seqs = append(seqs, id)
			}
			if id >= head {
				return seqs // caught up: every event, seen or not, sends its id
			}
			id, data = 0, false
		case strings.HasPrefix(line, "id: "):
			id, _ = strconv.ParseInt(strings.TrimPrefix(line, "id: "), 10, 64)
		case strings.HasPrefix(line, "data:"):
			data = true
		}
	}
	return seqs
}
