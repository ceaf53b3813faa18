// Package finalacts is the final acts' face in the HTML site: a forum's
// final acts and closing statements; the final acts' page with the text
// grouped by instrument, the declarations and reservations beside the
// provisions they concern, the tallies of signature and the world map of
// who signed; the signatures list; the declarations and reservations in
// the ITU layout; the signing page of a head of delegation; the deposit
// form; the secretariat's forms to assemble, revise, open, close and set
// the cut-off; the open-data downloads (CSV, JSON, Akoma Ntoso, Atom);
// and the wording of the finalacts.* events on the record.
package finalacts

import (
	"strconv"
	"strings"
	"time"

	"github.com/plenary-forum/plenary/internal/finalacts"
	"github.com/plenary-forum/plenary/internal/web"
)

// num reads a number of a payload (JSON numbers are float64).
func num(p map[string]any, k string) int64 {
	switch v := p[k].(type) {
	case float64:
		return int64(v)
	case int64:
		return v
	case int:
		return int64(v)
	}
	return 0
}

// at writes the time of a payload's "at" (Unix milliseconds) in UTC.
func at(p map[string]any) string {
	ms := num(p, "at")
	if ms == 0 {
		return ""
	}
	return time.UnixMilli(ms).UTC().Format("2 Jan 2006 15:04 UTC")
}

// strs reads a list of strings of a payload.
func strs(p map[string]any, k string) []string {
	var out []string
	switch v := p[k].(type) {
	case []any:
		for _, x := range v {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
	case []string:
		out = v
	}
	return out
}

// ints reads a list of numbers of a payload.
func ints(p map[string]any, k string) []int {
	var out []int
	switch v := p[k].(type) {
	case []any:
		for _, x := range v {
			if f, ok := x.(float64); ok {
				out = append(out, int(f))
			}
		}
	case []int:
		out = v
	}
	return out
}

// fa names final acts in a sentence: their number and title.
func fa(p map[string]any) string {
	if t := web.Str(p, "title"); t != "" {
		return web.Str(p, "number") + " (“" + t + "”)"
	}
	return web.Str(p, "number")
}

func init() {
	web.Describe("finalacts.assembled", func(p map[string]any) string {
		return "The secretariat assembled the final acts " + fa(p) + " from the adopted texts; the text's hash is " + web.Str(p, "hash") + "."
	})
	web.Describe("finalacts.revised", func(p map[string]any) string {
		s := "The final acts " + web.Str(p, "number") + " were revised (" + web.Str(p, "version") + "); the text's hash is now " + web.Str(p, "hash") + "."
		if n := web.Str(p, "note"); n != "" {
			s += " " + n
		}
		return s
	})
	web.Describe("finalacts.signature_opened", func(p map[string]any) string {
		return "The final acts " + web.Str(p, "number") + " were opened for signature from " + at(p) + "."
	})
	web.Describe("finalacts.signature_closed", func(p map[string]any) string {
		return "The final acts " + web.Str(p, "number") + " close for signature at " + at(p) + "."
	})
	web.Describe("finalacts.cutoff_set", func(p map[string]any) string {
		return "The cut-off for declarations and reservations on " + web.Str(p, "number") + " was set at " + at(p) + "."
	})
	web.Describe("finalacts.signer_named", func(p map[string]any) string {
		by := "by the head of delegation"
		if web.Str(p, "basis") == finalacts.BasisCredentials {
			by = "in the credentials"
		}
		return web.Str(p, "name") + " was named " + by + " to sign " + web.Str(p, "number") + " for " + web.Str(p, "party_name") + "."
	})
	web.Describe("finalacts.signed", func(p map[string]any) string {
		who := web.Str(p, "party_name")
		what := " signed "
		switch finalacts.State(web.Str(p, "state")) {
		case finalacts.SignedSubjectToRatification:
			what = " signed, subject to ratification, "
		case finalacts.Declined:
			what = " declined to sign "
		}
		s := who + what + "the final acts " + web.Str(p, "number") + " (text " + web.Str(p, "hash") + ")"
		if signer := web.Str(p, "signer"); signer != "" {
			s += ", by " + signer
		}
		return s + "."
	})
	web.Describe("finalacts.declaration_deposited", func(p map[string]any) string {
		kind := finalacts.DeclarationKind(web.Str(p, "kind")).Label()
		if b, _ := p["additional"].(bool); b {
			kind = "additional " + strings.ToLower(kind)
		}
		s := web.UpperFirst(kind) + " No. " + strconv.FormatInt(num(p, "declaration"), 10) + " on " + web.Str(p, "number") + " was deposited"
		if ps := strs(p, "parties"); len(ps) > 0 {
			s += " by " + strings.Join(ps, ", ")
		}
		if refs := ints(p, "references"); len(refs) > 0 {
			s += ", answering " + numbers(refs)
		}
		return s + "."
	})
	web.Describe("finalacts.statement_filed", func(p map[string]any) string {
		who := web.Str(p, "party_name")
		if a := web.Str(p, "author"); a != "" {
			who = a
		}
		if who == "" {
			who = web.Str(p, "by")
		}
		kind := strings.ToLower(finalacts.StatementKind(web.Str(p, "kind")).Label())
		on := web.Str(p, "target_label")
		if web.Str(p, "target_kind") == finalacts.OnForum {
			on = "the forum as a whole"
		}
		return who + " filed a " + kind + " on " + on + "."
	})
}
