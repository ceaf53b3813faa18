package api

import (
	"net/http"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/finalacts"
	"github.com/plenary-forum/plenary/internal/forum"
)

// FinalActsList is the body of GET .../final-acts.
type FinalActsList struct {
	FinalActs []finalacts.FinalActs `json:"final_acts"`
}

// SignatureList is the body of GET .../final-acts/{id}/signatures: each
// party's standing signature, or with all=true every signature act.
type SignatureList struct {
	Signatures []finalacts.Signature `json:"signatures"`
}

// SignerList is the body of GET .../final-acts/{id}/signers.
type SignerList struct {
	Signers []finalacts.Signer `json:"signers"`
}

// DeclarationList is the body of GET .../final-acts/{id}/declarations:
// the declarations and reservations in the order of their numbers.
type DeclarationList struct {
	Declarations []finalacts.Declaration `json:"declarations"`
}

// FinalStatementList is the body of GET .../statements.
type FinalStatementList struct {
	Statements []finalacts.Statement `json:"statements"`
}

// StatementFiling is the body of POST .../statements: an explanation of
// position or a closing statement, kept with its target.
type StatementFiling struct {
	Kind   finalacts.StatementKind `json:"kind"`
	Target *finalacts.TargetInput  `json:"target"`
	Party  string                  `json:"party,omitempty"`
	Author string                  `json:"author,omitempty"`
	Text   string                  `json:"text"`
}

func (in *StatementFiling) check() error {
	if in.Target == nil {
		return plenary.Invalid("target", "is required: what the statement is kept with (kind decision, document or forum, and its id)")
	}
	return nil
}

// finalActsRoutes registers the endpoints of the final acts: assembling
// and revising them, the signature window and the cut-off, signers,
// signatures and tallies, declarations and reservations, and the
// explanations of position and closing statements kept with a decision, a
// document or the forum.
func (h *Handler) finalActsRoutes() {
	base := "/forums/{slug}/final-acts"
	one := base + "/{id}"
	located := func(r *http.Request, fa finalacts.FinalActs) string {
		return "/api/v1/forums/" + r.PathValue("slug") + "/final-acts/" + fa.ID
	}

	// Reads.
	h.add(&Op{Method: "GET", Path: base, ID: "listFinalActs", Tag: "final acts",
		Summary: "A forum's final acts the caller may read, oldest first, without their provisions", Response: FinalActsList{}},
		query(func(r *http.Request, sc *forum.Scope) (FinalActsList, error) {
			fas, err := h.svc.FinalActs.List(r.Context(), sc)
			return FinalActsList{FinalActs: nonNil(fas)}, err
		}))
	h.add(&Op{Method: "GET", Path: one, ID: "getFinalActs", Tag: "final acts",
		Summary:  "Final acts (by id or document number): the current text's provisions, each with its identity in the drafting history and the declarations and reservations tied to it; those on the whole; the texts with their hashes; the signature window",
		Response: finalacts.FinalActs{}},
		query(func(r *http.Request, sc *forum.Scope) (finalacts.FinalActs, error) {
			return h.svc.FinalActs.FinalActs(r.Context(), sc, r.PathValue("id"))
		}))

	// The secretariat's commands.
	h.add(&Op{Method: "POST", Path: base, ID: "assembleFinalActs", Tag: "final acts",
		Summary: "Assemble final acts from adopted draft texts, in order, as a numbered document of type final acts with the hash of its text (secretariat)", Auth: true,
		Request: finalacts.AssembleInput{}, Response: finalacts.FinalActs{}, Status: http.StatusCreated},
		command(func(r *http.Request, sc *forum.Scope, in finalacts.AssembleInput) (finalacts.FinalActs, error) {
			return h.svc.FinalActs.Assemble(r.Context(), sc, in)
		}).at(located))
	h.add(&Op{Method: "POST", Path: one + "/revisions", ID: "reviseFinalActs", Tag: "final acts",
		Summary: "Assemble final acts again (a revision or a corrigendum) as a new version with a new hash; signatures made stay on their text and read as superseded (secretariat)", Auth: true,
		Request: finalacts.ReviseInput{}, Response: finalacts.FinalActs{}},
		command(func(r *http.Request, sc *forum.Scope, in finalacts.ReviseInput) (finalacts.FinalActs, error) {
			return h.svc.FinalActs.Revise(r.Context(), sc, r.PathValue("id"), in)
		}))
	h.add(&Op{Method: "POST", Path: one + "/open", ID: "openFinalActsForSignature", Tag: "final acts",
		Summary: "State when final acts open for signature (no time: now); it may be set again before they close (secretariat)", Auth: true,
		Request: finalacts.TimeInput{}, Response: finalacts.FinalActs{}},
		command(func(r *http.Request, sc *forum.Scope, in finalacts.TimeInput) (finalacts.FinalActs, error) {
			return h.svc.FinalActs.OpenForSignature(r.Context(), sc, r.PathValue("id"), in)
		}))
	h.add(&Op{Method: "POST", Path: one + "/close", ID: "closeFinalActsForSignature", Tag: "final acts",
		Summary: "State when final acts close for signature (no time: now); no signature is taken from then on (secretariat)", Auth: true,
		Request: finalacts.TimeInput{}, Response: finalacts.FinalActs{}},
		command(func(r *http.Request, sc *forum.Scope, in finalacts.TimeInput) (finalacts.FinalActs, error) {
			return h.svc.FinalActs.CloseForSignature(r.Context(), sc, r.PathValue("id"), in)
		}))
	h.add(&Op{Method: "PUT", Path: one + "/cutoff", ID: "setDeclarationCutoff", Tag: "final acts",
		Summary: "State until when declarations and reservations are deposited (no time: now) (secretariat)", Auth: true,
		Request: finalacts.TimeInput{}, Response: finalacts.FinalActs{}},
		command(func(r *http.Request, sc *forum.Scope, in finalacts.TimeInput) (finalacts.FinalActs, error) {
			return h.svc.FinalActs.SetCutoff(r.Context(), sc, r.PathValue("id"), in)
		}))

	// Signature.
	h.add(&Op{Method: "GET", Path: one + "/signers", ID: "listSigners", Tag: "final acts",
		Summary: "The delegates named to sign for their parties, by their head of delegation or in their credentials", Response: SignerList{}},
		query(func(r *http.Request, sc *forum.Scope) (SignerList, error) {
			ss, err := h.svc.FinalActs.Signers(r.Context(), sc, r.PathValue("id"))
			return SignerList{Signers: nonNil(ss)}, err
		}))
	h.add(&Op{Method: "POST", Path: one + "/signers", ID: "nameSigner", Tag: "final acts",
		Summary: "Name a delegate of a party to sign for it: its head of delegation (basis head), or the secretariat entering whom the credentials name (basis credentials)", Auth: true,
		Request: finalacts.SignerInput{}, Response: finalacts.Signer{}, Status: http.StatusCreated},
		command(func(r *http.Request, sc *forum.Scope, in finalacts.SignerInput) (finalacts.Signer, error) {
			return h.svc.FinalActs.NameSigner(r.Context(), sc, r.PathValue("id"), in)
		}))
	h.add(&Op{Method: "GET", Path: one + "/signatures", ID: "listSignatures", Tag: "final acts",
		Summary: "Each party's signature (its last act), by party name: state, signer, time, the hash signed and whether it is the current text's",
		Query:   map[string]string{"all": "true: every signature act in the order of the record, not only each party's last"}, Response: SignatureList{}},
		query(func(r *http.Request, sc *forum.Scope) (SignatureList, error) {
			var ss []finalacts.Signature
			var err error
			switch r.URL.Query().Get("all") {
			case "", "false":
				ss, err = h.svc.FinalActs.Signatures(r.Context(), sc, r.PathValue("id"))
			case "true":
				ss, err = h.svc.FinalActs.SignatureActs(r.Context(), sc, r.PathValue("id"))
			default:
				err = plenary.Invalid("all", "must be true or false")
			}
			return SignatureList{Signatures: nonNil(ss)}, err
		}))
	h.add(&Op{Method: "POST", Path: one + "/signatures", ID: "signFinalActs", Tag: "final acts",
		Summary: "Sign final acts for a party, or decline to, while they are open for signature, stating the hash of the text being signed (its head of delegation or a delegate named to sign; credentials in order or for signature only; a refusal names the rule)", Auth: true,
		Request: finalacts.SignInput{}, Response: finalacts.Signature{}, Status: http.StatusCreated},
		command(func(r *http.Request, sc *forum.Scope, in finalacts.SignInput) (finalacts.Signature, error) {
			return h.svc.FinalActs.Sign(r.Context(), sc, r.PathValue("id"), in)
		}))
	h.add(&Op{Method: "GET", Path: one + "/tally", ID: "getSignatureTally", Tag: "final acts",
		Summary:  "The state of signature: counts of the eligible parties (signed, subject to ratification, on a superseded text, declined, not yet), by region and by stakeholder group, and each party's state",
		Response: finalacts.Tally{}},
		query(func(r *http.Request, sc *forum.Scope) (finalacts.Tally, error) {
			return h.svc.FinalActs.Tally(r.Context(), sc, r.PathValue("id"))
		}))

	// Declarations and reservations.
	h.add(&Op{Method: "GET", Path: one + "/declarations", ID: "listDeclarations", Tag: "final acts",
		Summary: "The declarations and reservations in the order of their numbers, with their parties, provisions and the earlier numbers an additional one answers", Response: DeclarationList{}},
		query(func(r *http.Request, sc *forum.Scope) (DeclarationList, error) {
			ds, err := h.svc.FinalActs.Declarations(r.Context(), sc, r.PathValue("id"))
			return DeclarationList{Declarations: nonNil(ds)}, err
		}))
	h.add(&Op{Method: "POST", Path: one + "/declarations", ID: "depositDeclaration", Tag: "final acts",
		Summary: "Deposit a numbered declaration or reservation, for one party or jointly, tied to provisions (their keys) or to the whole, before the cut-off; an additional one cites the numbers it answers (those who may file reservations; the secretariat for a party)", Auth: true,
		Request: finalacts.DepositInput{}, Response: finalacts.Declaration{}, Status: http.StatusCreated},
		command(func(r *http.Request, sc *forum.Scope, in finalacts.DepositInput) (finalacts.Declaration, error) {
			return h.svc.FinalActs.Deposit(r.Context(), sc, r.PathValue("id"), in)
		}))

	// Explanations of position and closing statements.
	h.add(&Op{Method: "GET", Path: "/forums/{slug}/statements", ID: "listStatements", Tag: "final acts",
		Summary: "Explanations of position and closing statements the caller may read, in the order filed",
		Query: map[string]string{"target": "only those kept with a decision, a document or the forum (decision, document or forum)",
			"id": "with target decision or document: its id"},
		Response: FinalStatementList{}},
		query(func(r *http.Request, sc *forum.Scope) (FinalStatementList, error) {
			t := finalacts.TargetInput{Kind: r.URL.Query().Get("target"), ID: r.URL.Query().Get("id")}
			switch t.Kind {
			case "", finalacts.OnDecision, finalacts.OnDocument, finalacts.OnForum:
			default:
				return FinalStatementList{}, plenary.Invalid("target", "must be decision, document or forum")
			}
			ss, err := h.svc.FinalActs.Statements(r.Context(), sc, t)
			return FinalStatementList{Statements: nonNil(ss)}, err
		}))
	h.add(&Op{Method: "POST", Path: "/forums/{slug}/statements", ID: "fileStatement", Tag: "final acts",
		Summary: "File an explanation of position or a closing statement with a decision, a document or the forum as a whole: a party's (whoever may object to consensus for it), or a named group's entered by the secretariat", Auth: true,
		Request: StatementFiling{}, Response: finalacts.Statement{}, Status: http.StatusCreated},
		command(func(r *http.Request, sc *forum.Scope, in StatementFiling) (finalacts.Statement, error) {
			return h.svc.FinalActs.FileStatement(r.Context(), sc, finalacts.StatementInput{Kind: in.Kind, Target: *in.Target,
				Party: in.Party, Author: in.Author, Text: in.Text})
		}))
}
