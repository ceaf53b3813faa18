package demo

import (
	"context"
	"errors"
	"fmt"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/account"
	"github.com/plenary-forum/plenary/internal/app"
	"github.com/plenary-forum/plenary/internal/documents"
	"github.com/plenary-forum/plenary/internal/drafting"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/text"
)

// The drafting demo: a draft of Opinion 5, "Supporting multi-stakeholderism
// in Internet governance", issued by the secretariat as WTPF-13/5 (its text
// written for the demo; it is not the text of the real opinion); the chair
// of the Forum also holds the editor's pen; proposals from Brazil (the
// member_state account, from its contribution), the United States
// (recorded by the secretariat from a contribution filed here) and Example
// Telecom (the sector_member account, in the room), two of which collide
// on the same words; a second revision, WTPF-13/5(Rev.1), in which the
// editor turns that collision into a bracket whose alternatives are
// supported by different parties, accepts, rewords and rejects the others;
// and one proposal pending on the second revision.

// OpinionNumber is the number of the demo draft of Opinion 5.
const OpinionNumber = "WTPF-13/5"

const opinionText = `# Draft Opinion 5: Supporting multi-stakeholderism in Internet governance

*recognizing*

a) that the Internet has grown into a global resource on which economies and societies depend, and that many actors built it and keep it running together;

b) that governments, the private sector, civil society, the technical community and academia each bring knowledge that the others lack;

*noting*

a) that national and regional Internet governance forums have brought these stakeholders together with good results;

*is of the view*

1. that all stakeholders should be able to take part in discussions on international Internet-related public policy issues, in their respective roles and responsibilities;

2. that processes for Internet governance should be open, transparent and inclusive, and should publish their working documents;

3. that the ITU should continue to support the participation of all stakeholders in its work on Internet-related public policy issues;

*invites Member States and Sector Members*

1. to share their experience of multistakeholder processes at the national level;

2. to support the participation of stakeholders from developing countries in these processes.
`

// loadWTPFDrafting files the demo draft of Opinion 5 with its proposals,
// its compilation frozen as DT/2, and its second revision, also issued as
// DT/3, once.
func loadWTPFDrafting(ctx context.Context, svc *app.App, users map[string]account.User) error {
	f, err := svc.Kernel.ForumBySlug(ctx, WTPFSlug)
	if err != nil {
		return err
	}
	sec := actorOf(users["secretariat"])
	if _, err := svc.Documents.DocumentByNumber(ctx, scopeIn(ctx, svc.Kernel, sec, f), OpinionNumber); err == nil {
		return nil
	} else if !errors.Is(err, plenary.ErrNotFound) {
		return err
	}
	if err := registerAll(ctx, svc, sec, f.Slug, users, []reg{
		{login: "chair", group: "secretariat", role: "editor", affiliation: "Chair of the Forum, holding the pen on the draft opinions"},
	}); err != nil {
		return err
	}
	fail := func(what string, err error) error { return fmt.Errorf("demo: WTPF-13 drafting, %s: %w", what, err) }
	d, err := svc.Drafting.CreateDraft(ctx, scopeIn(ctx, svc.Kernel, sec, f.Slug), drafting.DraftInput{Text: opinionText, Number: 5, Body: "wg3", Visibility: "public",
		IssuedOn: "2013-04-30", Languages: []string{"en"},
		Note: "This text was written for Plenary's demonstration. It is not the text of the real opinion, and it quotes no one."})
	if err != nil {
		return fail("the draft", err)
	}
	usaDoc, err := svc.Documents.SubmitDocument(ctx, scopeIn(ctx, svc.Kernel, sec, f.Slug), withKnownParties(ctx, svc, f, documents.DocumentInput{Type: documents.DocContribution,
		Parties: []string{"USA"}, Title: "Contribution from the United States on draft Opinion 5", IssuedOn: "2013-05-02", Body: "wg3",
		Visibility: "public", Languages: []string{"en"},
		Text: demoNote + "The United States proposes that draft Opinion 5 keep the stakeholders' respective roles, with a reference to where they were agreed, and that its second invitation be left to the Secretary-General's report."}))
	if err != nil {
		return fail("the United States' contribution", err)
	}
	bra := actorOf(users["member_state"])
	braDocs, err := svc.Documents.Documents(ctx, scopeIn(ctx, svc.Kernel, bra, f), documents.DocumentFilter{Party: "BRA", Type: documents.DocContribution})
	if err != nil || len(braDocs) == 0 {
		return fail("Brazil's contribution", fmt.Errorf("not found: %v", err))
	}
	extel := actorOf(users["sector_member"])
	chair := actorOf(users["chair"])
	propose := func(a forum.Actor, in drafting.ProposalInput) (drafting.Amendment, error) {
		return svc.Drafting.ProposeAmendment(ctx, scopeIn(ctx, svc.Kernel, a, f.Slug), d.ID, in)
	}
	made := map[string]drafting.Amendment{}
	for _, p := range []struct {
		key string
		who forum.Actor
		in  drafting.ProposalInput
	}{
		{"bra-footing", bra, drafting.ProposalInput{Op: "MOD", Provision: "p4", Contribution: braDocs[0].ID,
			Text:      "that all stakeholders should be able to take part in discussions on international Internet-related public policy issues, on an equal footing;",
			Rationale: "Every stakeholder group should be heard on the same terms."}},
		{"usa-roles", sec, drafting.ProposalInput{Op: "MOD", Provision: "p4", Party: "USA", Contribution: usaDoc.ID,
			Text:      "that all stakeholders should be able to take part in discussions on international Internet-related public policy issues, in their respective roles and responsibilities as agreed at the World Summit on the Information Society;",
			Rationale: "Keep the roles where they were agreed."}},
		{"bra-remote", bra, drafting.ProposalInput{Op: "MOD", Provision: "p5", Contribution: braDocs[0].ID,
			Text: "that processes for Internet governance should be open, transparent and inclusive, should allow remote participation, and should publish their working documents;"}},
		{"extel-add", extel, drafting.ProposalInput{Op: "ADD", After: "p8",
			Text: "to encourage operators and other Sector Members to take part in national multistakeholder processes."}},
		{"usa-sup", sec, drafting.ProposalInput{Op: "SUP", Provision: "p8", Party: "USA", Contribution: usaDoc.ID}},
		{"usa-noc", sec, drafting.ProposalInput{Op: "NOC", Provision: "p1", Party: "USA", Contribution: usaDoc.ID}},
	} {
		am, err := propose(p.who, p.in)
		if err != nil {
			return fail("proposal "+p.key, err)
		}
		made[p.key] = am
	}
	if _, err := svc.Drafting.CosponsorAmendment(ctx, scopeIn(ctx, svc.Kernel, extel, f.Slug), d.ID, made["usa-roles"].ID, ""); err != nil {
		return fail("co-sponsoring", err)
	}
	// The chair freezes the compilation as it stands before the first
	// reading, as a temporary document (DT/2), and issues the revision
	// as the chair's package in the same series (DT/3).
	if _, err := svc.Drafting.FreezeCompilation(ctx, scopeIn(ctx, svc.Kernel, chair, f.Slug), d.ID, drafting.FreezeInput{Series: "dt",
		Title: "Compilation of proposals to draft Opinion 5 before the first reading"}); err != nil {
		return fail("the frozen compilation", err)
	}
	_, err = svc.Drafting.IssueRevision(ctx, scopeIn(ctx, svc.Kernel, chair, f.Slug), d.ID, drafting.RevisionInput{Revision: 1, Series: "dt",
		Note:     "After the first reading in Working Group 3: one bracket on the stakeholders' roles.",
		Brackets: []drafting.CollisionBracket{{Collision: "c1"}},
		Decisions: []text.Decision{
			{Action: text.ActAcceptModified, AmendmentID: made["bra-remote"].ID,
				Text: "that processes for Internet governance should be open, transparent and inclusive, should allow remote participation on the same terms as participation in the room, and should publish their working documents;"},
			{Action: text.ActAccept, AmendmentID: made["extel-add"].ID},
			{Action: text.ActReject, AmendmentID: made["usa-sup"].ID, Note: "The invitation stays; the Secretary-General's report will follow it up."},
			{Action: text.ActAccept, AmendmentID: made["usa-noc"].ID},
		}})
	if err != nil {
		return fail("the second revision", err)
	}
	if _, err := propose(extel, drafting.ProposalInput{Op: "MOD", Provision: "p6",
		Text: "that the ITU should continue to support the participation of all stakeholders, including remote participants, in its work on Internet-related public policy issues;"}); err != nil {
		return fail("the pending proposal", err)
	}
	return nil
}
