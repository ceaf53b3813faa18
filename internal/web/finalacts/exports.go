package finalacts

import (
	"context"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/rules"

	"github.com/plenary-forum/plenary/internal/export"
	"github.com/plenary-forum/plenary/internal/finalacts"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/text"
)

// A download of final acts' open data: its content type and how it is
// written from the export's final acts.
type downloadKind struct {
	contentType string
	write       func(fa export.FinalActs, page string) []byte
	// everyAct writes from every signature act, in order, instead of each
	// party's last: the feed, in which a party that declined and later
	// signed has two entries.
	everyAct bool
}

// downloads are the open-data files of final acts, by their name below
// the final acts' page.
var downloads = map[string]downloadKind{
	"signatures.csv":     {"text/csv; charset=utf-8", func(fa export.FinalActs, _ string) []byte { return export.SignaturesCSV(fa) }, false},
	"declarations.csv":   {"text/csv; charset=utf-8", func(fa export.FinalActs, _ string) []byte { return export.DeclarationsCSV(fa) }, false},
	"final-acts.json":    {"application/json", func(fa export.FinalActs, _ string) []byte { return export.FinalActsJSON(fa) }, false},
	"final-acts.akn.xml": {"application/akn+xml", func(fa export.FinalActs, _ string) []byte { return export.FinalActsAkomaNtoso(fa) }, false},
	"signatures.atom": {"application/atom+xml", func(fa export.FinalActs, page string) []byte {
		id := "tag:plenary," + fa.Date.UTC().Format("2006") + ":" + fa.ForumSlug + "/final-acts/" + fa.Number
		var entries []export.FeedEntry
		for _, s := range fa.Signatures {
			// Each entry links the party's row of the signatures list.
			one := export.FinalActs{Signatures: []export.Signature{s}}
			entries = append(entries, export.SignatureEntries(one, id, page+"/signatures#party-"+url.PathEscape(s.PartyCode))...)
		}
		return export.SignatureFeed(export.FeedMeta{Title: "Signatures of " + fa.Number + ": " + fa.Title, ID: id,
			SelfURL: page + "/signatures.atom", AltURL: page + "/signatures", Author: fa.Forum}, entries)
	}, true},
}

// provisionsOf are the provisions of final acts as the export has them.
func provisionsOf(fa finalacts.FinalActs) []export.FinalProvision {
	out := make([]export.FinalProvision, len(fa.Provisions))
	for i, p := range fa.Provisions {
		out[i] = export.FinalProvision{Key: p.Key, Instrument: p.Instrument, DraftID: p.DraftID, Revision: p.DraftRevision,
			ProvisionID: p.ProvisionID, Kind: text.Kind(p.Kind), Intro: p.Intro, Label: p.Label, Text: p.Text}
	}
	return out
}

func partyRefs(ps []finalacts.PartyRef) []export.PartyRef {
	out := make([]export.PartyRef, len(ps))
	for i, p := range ps {
		out[i] = export.PartyRef{Code: p.Code, Name: p.Name}
	}
	return out
}

func sha(h string) string {
	if h == "" || strings.HasPrefix(h, "sha256:") {
		return h
	}
	return "sha256:" + h
}

// Export reads final acts (by id or number) as the open-data exports
// take them, as the viewer may read them: the text, where every eligible
// party (and every party that signed) stands with its last signature, the
// declarations and reservations, and the statements filed on them. page
// is the address of their web page.
func Export(ctx context.Context, svc *finalacts.Service, sc *forum.Scope, id, page string) (export.FinalActs, error) {
	fa, err := svc.FinalActs(ctx, sc, id)
	if err != nil {
		return export.FinalActs{}, err
	}
	out := export.FinalActs{Forum: sc.Forum.Title, ForumSlug: sc.Forum.Slug, Number: fa.Number, Title: fa.Title, Version: fa.Revision,
		Date: fa.CreatedAt, TextHash: sha(fa.Hash), URL: page, Provisions: provisionsOf(fa)}
	for _, t := range []struct {
		at  *time.Time
		set *time.Time
	}{{fa.OpensAt, &out.OpenedAt}, {fa.ClosesAt, &out.ClosedAt}, {fa.CutoffAt, &out.CutOff}} {
		if t.at != nil {
			*t.set = *t.at
		}
	}
	tally, err := svc.Tally(ctx, sc, fa.ID)
	if err != nil {
		return out, err
	}
	sigs, err := svc.Signatures(ctx, sc, fa.ID)
	if err != nil {
		return out, err
	}
	by := map[string]finalacts.Signature{}
	for _, s := range sigs {
		by[s.Party.Code] = s
	}
	for _, ps := range tally.Parties {
		es := export.Signature{PartyCode: ps.Party.Code, PartyName: ps.Party.Name, ISO3: ps.Party.ISO3, Region: ps.Region, Group: ps.GroupName,
			State: string(ps.State)}
		if s, ok := by[ps.Party.Code]; ok {
			es.State, es.Signer, es.SignerRole, es.At, es.TextHash, es.Current = string(s.State), s.Signer, roleLabel(s.Capacity), s.At, sha(s.Hash), s.Current
		}
		out.Signatures = append(out.Signatures, es)
	}
	decls, err := svc.Declarations(ctx, sc, fa.ID)
	if err != nil {
		return out, err
	}
	for _, d := range decls {
		out.Declarations = append(out.Declarations, export.Declaration{No: d.Number, Kind: string(d.Kind), Additional: d.Additional, Answers: d.References,
			Parties: partyRefs(d.Parties), Provisions: d.Provisions, Text: d.Text, DepositedAt: d.At})
	}
	sts, err := svc.Statements(ctx, sc, finalacts.TargetInput{Kind: finalacts.OnDocument, ID: fa.ID})
	if err != nil {
		return out, err
	}
	for _, s := range sts {
		es := export.Statement{Kind: string(s.Kind), Author: s.Author, Subject: s.TargetLabel, Text: s.Text, At: s.At}
		if s.Party != nil {
			es.Party = export.PartyRef{Code: s.Party.Code, Name: s.Party.Name}
		}
		out.Statements = append(out.Statements, es)
	}
	return out, nil
}

// signatureActs are every signature act on final acts, in the order they
// were made, as the exports take them.
func signatureActs(ctx context.Context, svc *finalacts.Service, sc *forum.Scope, id string) ([]export.Signature, error) {
	acts, err := svc.SignatureActs(ctx, sc, id)
	if err != nil {
		return nil, err
	}
	out := make([]export.Signature, len(acts))
	for i, s := range acts {
		out[i] = export.Signature{PartyCode: s.Party.Code, PartyName: s.Party.Name, State: string(s.State), Signer: s.Signer,
			SignerRole: roleLabel(s.Capacity), At: s.At, TextHash: sha(s.Hash), Current: s.Current}
	}
	return out, nil
}

// roleLabel is a capacity in words ("Head of delegation").
func roleLabel(role string) string {
	if role == "" {
		return ""
	}
	return rules.Role(role).Label()
}

// siteURL is the address of the site the request came to.
func siteURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// download serves one of the open-data files of final acts, with its
// content type and a file name.
func (h *handler) download(w http.ResponseWriter, r *http.Request) error {
	sc, err := h.ForumScope(r)
	if err != nil {
		return err
	}
	name := path.Base(r.URL.Path)
	d, ok := downloads[name]
	if !ok {
		return plenary.NotFound("no download %q of final acts", name)
	}
	fa, err := h.svc.FinalActs.FinalActs(r.Context(), sc, r.PathValue("id"))
	if err != nil {
		return err
	}
	page := siteURL(r) + Path(sc.Forum.Slug, fa.ID)
	ex, err := Export(r.Context(), h.svc.FinalActs, sc, fa.ID, page)
	if err != nil {
		return err
	}
	if d.everyAct {
		if ex.Signatures, err = signatureActs(r.Context(), h.svc.FinalActs, sc, fa.ID); err != nil {
			return err
		}
	}
	body := d.write(ex, page)
	w.Header().Set("Content-Type", d.contentType)
	w.Header().Set("Content-Disposition", `attachment; filename="`+fileName(fa.Number, name)+`"`)
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(body)
	return nil
}

// fileName is the name of a download of final acts: the number made safe
// and the file's name ("WCIT-12-FA-signatures.csv").
func fileName(number, name string) string {
	stem, ext, _ := strings.Cut(name, ".")
	return export.FileName(number+" "+stem, ext)
}
