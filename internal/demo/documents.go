package demo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/account"
	"github.com/plenary-forum/plenary/internal/app"
	"github.com/plenary-forum/plenary/internal/documents"
	"github.com/plenary-forum/plenary/internal/forum"
)

// The documents demo: the Secretary-General's report of WTPF-13 as
// WTPF-13/3, contributions from parties under the numbers they had
// (United States 6, Turkey 7, RIPE NCC 8, ISOC 9, Australia 11) and
// Brazil's proposed additional opinion, a document of the Informal Experts
// Group's third meeting in its own series (WTPF-IEG/3/12), a temporary
// document (DT/1), a members-only document, one whose embargo has passed
// (the server releases it at start, on the record) and one whose embargo
// is still running. Every text is written for the demo and says so; none
// quotes a real document or person.

// demoNote opens every demo text.
const demoNote = "This text was written for Plenary's demonstration. It is not the text of the real document, and it quotes no one.\n\n"

// demoDoc is one demo document, filed by the secretariat unless by says
// which demo account files it.
type demoDoc struct {
	by    string
	input documents.DocumentInput
}

func demoDocuments(now time.Time) []demoDoc {
	c := func(number int64, party, title, issued, text string) demoDoc {
		return demoDoc{input: documents.DocumentInput{Type: documents.DocContribution, Number: number, Parties: []string{party},
			Title: title, IssuedOn: issued, Body: "plenary", Visibility: "public", Languages: []string{"en"}, Text: demoNote + text}}
	}
	return []demoDoc{
		{input: documents.DocumentInput{Type: documents.DocReport, Number: 3, Title: "Report of the Secretary-General for the fifth World Telecommunication/ICT Policy Forum",
			IssuedOn: "2013-03-15", Body: "plenary", Visibility: "public", Languages: []string{"en", "fr", "es", "ar", "ru", "zh"},
			AgendaItem: "Consideration of the report and the draft opinions",
			Text: demoNote + "The Secretary-General's report is the single working document of the Forum. Discussion is based on it and on contributions that build on it.\n\n" +
				"Part 1 reviews the international Internet-related public policy matters on the Forum's agenda: Internet exchange points, an enabling environment for broadband, capacity building for IPv6 and the transition from IPv4, multistakeholder participation in Internet governance, and the enhanced cooperation process.\n\n" +
				"Part 2 annexes six draft opinions prepared with the Informal Experts Group, which was open to all stakeholders. The Forum adopts opinions by consensus; they are not binding."}},
		c(6, "USA", "Contribution from the United States on the draft opinions", "2013-04-22",
			"The United States supports the six draft opinions as annexed to the report and proposes editorial changes to draft Opinion 1, to stress voluntary peering at Internet exchange points and the role of the private sector in building them."),
		c(7, "TUR", "Contribution from Turkey on draft Opinions 3 and 4", "2013-04-24",
			"Turkey comments on the two draft opinions on IPv6 and suggests that their recitals be aligned where they overlap, so that capacity building and the transition from IPv4 are read together."),
		c(8, "RIPE", "Contribution from the RIPE NCC on IPv6 capacity building", "2013-04-25",
			"The RIPE NCC describes its training for network operators on IPv6 deployment and offers it in support of draft Opinion 3 on capacity building."),
		c(9, "ISOC", "Contribution from the Internet Society on draft Opinion 5", "2013-04-26",
			"The Internet Society comments on draft Opinion 5 on multi-stakeholderism in Internet governance and proposes that its operative part name every stakeholder group, in their respective roles."),
		c(11, "AUS", "Contribution from Australia on draft Opinion 1", "2013-04-29",
			"Australia supports draft Opinion 1 on Internet exchange points and proposes adding a reference to regional cooperation among operators in developing countries."),
		{by: "member_state", input: documents.DocumentInput{Type: documents.DocContribution, Title: "Brazil: proposed additional draft opinion on the role of governments in the multistakeholder framework for Internet governance",
			IssuedOn: "2013-05-06", Body: "wg3", Visibility: "public", Languages: []string{"en"},
			Text: demoNote + "Brazil proposes an additional draft opinion, to be considered together with draft Opinions 5 and 6, on how governments take part in the multistakeholder framework for Internet governance.\n\n" +
				"The proposed opinion would invite the Secretary-General to report on it to the next Plenipotentiary Conference."}},
		{input: documents.DocumentInput{Type: documents.DocReport, Series: "ieg-3", Number: 12, Title: "Draft opinions as reviewed at the third meeting of the Informal Experts Group",
			IssuedOn: "2013-02-08", Visibility: "public", Languages: []string{"en"},
			Text: demoNote + "This document of the Informal Experts Group's third meeting carries the six draft opinions as the experts left them, with the points on which they did not agree."}},
		{input: documents.DocumentInput{Type: documents.DocTemporary, Series: "dt", Title: "Working Group 3: proposed order of work on draft Opinions 5 and 6",
			IssuedOn: "2013-05-15", Body: "wg3", Visibility: "public", Languages: []string{"en"},
			Text: demoNote + "The chair of Working Group 3 proposes to take draft Opinion 5 first, then draft Opinion 6, and to consider the contributions on each as they come."}},
		{input: documents.DocumentInput{Type: documents.DocAdministrative, Title: "Arrangements for heads of delegation",
			IssuedOn: "2013-05-13", Visibility: "members", Languages: []string{"en"},
			Text: demoNote + "Heads of delegation meet before the opening plenary. This document is for the members of the Forum only."}},
		{input: documents.DocumentInput{Type: documents.DocInformation, Title: "Draft report of Working Group 3 to the plenary",
			IssuedOn: "2013-05-16", Body: "wg3", Visibility: "members", Languages: []string{"en"}, EmbargoUntil: "2013-05-16T18:00",
			Text: demoNote + "The draft report of Working Group 3 was for members until the end of the Forum's last day; its embargo has passed, so the server released it, and the release is on the record."}},
		{input: documents.DocumentInput{Type: documents.DocInformation, Title: "Summary of the informal consultations on draft Opinion 6",
			IssuedOn: "2013-05-16", Body: "wg3", Visibility: "members", Languages: []string{"en"},
			EmbargoUntil: now.AddDate(0, 0, 30).Truncate(24 * time.Hour).Format("2006-01-02T15:04"),
			Text:         demoNote + "This summary is for members until its embargo ends; then it becomes public by itself, as an event on the record."}},
	}
}

// loadWTPFDocuments files the demo documents of WTPF-13, once.
func loadWTPFDocuments(ctx context.Context, svc *app.App, users map[string]account.User) error {
	f, err := svc.Kernel.ForumBySlug(ctx, WTPFSlug)
	if err != nil {
		return err
	}
	sec := actorOf(users["secretariat"])
	if _, err := svc.Documents.DocumentByNumber(ctx, scopeIn(ctx, svc.Kernel, sec, f), f.DocPrefix+"/3"); err == nil {
		return nil
	} else if !errors.Is(err, plenary.ErrNotFound) {
		return err
	}
	for _, in := range []documents.SeriesInput{
		{Slug: "ieg-3", Prefix: "WTPF-IEG/3", Name: "Third meeting of the Informal Experts Group", Body: "ieg"},
		{Slug: "dt", Prefix: "DT", Name: "Temporary documents"},
	} {
		if _, err := svc.Documents.CreateSeries(ctx, scopeIn(ctx, svc.Kernel, sec, f.Slug), in); err != nil {
			return fmt.Errorf("demo: WTPF-13 series %s: %w", in.Slug, err)
		}
	}
	for _, d := range demoDocuments(time.Now().UTC()) {
		a := sec
		if d.by != "" {
			a = actorOf(users[d.by])
		}
		if _, err := svc.Documents.SubmitDocument(ctx, scopeIn(ctx, svc.Kernel, a, f.Slug), withKnownParties(ctx, svc, f, d.input)); err != nil {
			return fmt.Errorf("demo: WTPF-13 document %q: %w", d.input.Title, err)
		}
	}
	return nil
}

// withKnownParties drops the source parties the forum does not list, so
// that the documents load even where the parties are missing.
func withKnownParties(ctx context.Context, svc *app.App, f forum.Forum, in documents.DocumentInput) documents.DocumentInput {
	var known []string
	for _, p := range in.Parties {
		if _, err := svc.Participation.PartyByCode(ctx, scopeIn(ctx, svc.Kernel, forum.Anonymous, f), p); err == nil {
			known = append(known, p)
		}
	}
	in.Parties = known
	return in
}
