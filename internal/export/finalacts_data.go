package export

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strconv"
	"strings"
	"time"
)

// SignaturesCSVHeader and DeclarationsCSVHeader are the columns of
// SignaturesCSV and DeclarationsCSV (docs/OPEN_DATA.md describes them).
var (
	SignaturesCSVHeader = []string{"party_code", "party_name", "iso3", "region", "group", "state",
		"signer", "signer_role", "at", "text_hash", "current"}
	DeclarationsCSVHeader = []string{"no", "kind", "additional", "answers", "party_codes", "party_names",
		"provision_keys", "provisions", "deposited_at", "text"}
)

// csvTime writes t in RFC 3339, in UTC; "" when zero.
func csvTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func writeCSV(rows [][]string) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.UseCRLF = true     // RFC 4180
	_ = w.WriteAll(rows) // writes to memory: no error
	return b.Bytes()
}

// current is a signature's current column: "true" or "false" when it
// signed a text, "" otherwise.
func (s *Signature) current() string {
	if !s.signed() {
		return ""
	}
	return strconv.FormatBool(s.Current)
}

// SignaturesCSV writes one row per eligible party (RFC 4180, a header
// row, CRLF line ends): its code, name, ISO 3166-1 alpha-3 code, region,
// group, state (signed, signed_subject_to_ratification, declined or
// not_yet), signer and capacity, the time in RFC 3339 UTC, the hash of the
// text signed and whether that text is the current one.
func SignaturesCSV(fa FinalActs) []byte {
	rows := [][]string{SignaturesCSVHeader}
	for i := range fa.Signatures {
		s := &fa.Signatures[i]
		signer, role, hash := s.Signer, s.SignerRole, s.TextHash
		if s.state() == SignatureNotYet {
			signer, role, hash = "", "", ""
		}
		rows = append(rows, []string{s.PartyCode, s.PartyName, s.ISO3, s.Region, s.Group, s.state(),
			signer, role, csvTime(s.At), hash, s.current()})
	}
	return writeCSV(rows)
}

// DeclarationsCSV writes one row per declaration or reservation (RFC 4180,
// a header row, CRLF line ends), by number: number, kind, whether it is
// additional, the numbers it answers, the codes and names of its parties
// and the keys and names of its provisions (lists joined by ";"), the time
// of deposit in RFC 3339 UTC, and the text.
func DeclarationsCSV(fa FinalActs) []byte {
	rows := [][]string{DeclarationsCSVHeader}
	for _, d := range fa.Declarations {
		var answers, codes, names, names2 []string
		for _, n := range d.Answers {
			answers = append(answers, itoa(n))
		}
		for _, p := range d.Parties {
			codes = append(codes, p.Code)
			names = append(names, p.name())
		}
		for _, k := range d.Provisions {
			names2 = append(names2, provisionName(&fa, k))
		}
		rows = append(rows, []string{itoa(d.No), d.Kind, strconv.FormatBool(d.Additional), strings.Join(answers, ";"),
			strings.Join(codes, ";"), strings.Join(names, ";"), strings.Join(d.Provisions, ";"), strings.Join(names2, ";"),
			csvTime(d.DepositedAt), d.Text})
	}
	return writeCSV(rows)
}

// The JSON shape of the final acts (FinalActsJSON). Keys are snake_case;
// times are RFC 3339 in UTC, null when not set; lists are never null.
type (
	jsonFinalActs struct {
		Forum        string            `json:"forum"`
		ForumSlug    string            `json:"forum_slug"`
		ForumURL     string            `json:"forum_url,omitempty"`
		Number       string            `json:"number"`
		Title        string            `json:"title"`
		Language     string            `json:"language"`
		Version      int               `json:"version"`
		URL          string            `json:"url,omitempty"`
		AdoptedAt    *string           `json:"adopted_at"`
		OpenedAt     *string           `json:"opened_for_signature_at"`
		ClosedAt     *string           `json:"closed_for_signature_at"`
		CutOff       *string           `json:"declarations_cut_off_at"`
		TextHash     string            `json:"text_hash"`
		Tally        jsonTally         `json:"tally"`
		Provisions   []jsonProvision   `json:"provisions"`
		Signatures   []jsonSignature   `json:"signatures"`
		Declarations []jsonDeclaration `json:"declarations"`
		Statements   []jsonStatement   `json:"statements"`
	}
	jsonTally struct {
		Eligible               int `json:"eligible"`
		Signed                 int `json:"signed"`
		SubjectToRatification  int `json:"signed_subject_to_ratification"`
		Declined               int `json:"declined"`
		NotYet                 int `json:"not_yet"`
		SignedSupersededText   int `json:"signed_superseded_text"`
		DeclarationsDeposited  int `json:"declarations"`
		ReservationsDeposited  int `json:"reservations"`
		AdditionalDeclarations int `json:"additional"`
	}
	jsonProvision struct {
		Key         string `json:"key"`
		EID         string `json:"eid"`
		Instrument  string `json:"instrument"`
		DraftID     string `json:"draft_id"`
		Revision    int    `json:"revision"`
		ProvisionID string `json:"provision_id"`
		Kind        string `json:"kind"`
		Intro       string `json:"intro,omitempty"`
		Label       string `json:"label"`
		Text        string `json:"text"`
	}
	jsonSignature struct {
		PartyCode  string  `json:"party_code"`
		PartyName  string  `json:"party_name"`
		ISO3       string  `json:"iso3,omitempty"`
		Region     string  `json:"region,omitempty"`
		Group      string  `json:"group,omitempty"`
		State      string  `json:"state"`
		Signer     string  `json:"signer,omitempty"`
		SignerRole string  `json:"signer_role,omitempty"`
		At         *string `json:"at"`
		TextHash   string  `json:"text_hash,omitempty"`
		Current    *bool   `json:"current"`
	}
	jsonParty struct {
		Code string `json:"code"`
		Name string `json:"name"`
	}
	jsonDeclaration struct {
		No          int         `json:"no"`
		Kind        string      `json:"kind"`
		Additional  bool        `json:"additional"`
		Answers     []int       `json:"answers"`
		Parties     []jsonParty `json:"parties"`
		Provisions  []string    `json:"provisions"`
		Text        string      `json:"text"`
		DepositedAt *string     `json:"deposited_at"`
	}
	jsonStatement struct {
		Kind    string     `json:"kind"`
		Party   *jsonParty `json:"party"`
		Author  string     `json:"author,omitempty"`
		Subject string     `json:"subject"`
		Text    string     `json:"text"`
		At      *string    `json:"at"`
	}
)

func jsonTime(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := t.UTC().Format(time.RFC3339)
	return &s
}

// FinalActsJSON writes the final acts as indented JSON, in the shape
// docs/OPEN_DATA.md describes: the final acts' metadata and times, the
// tally, the provisions (with their eIds in the Akoma Ntoso export), one
// signature per eligible party (state not_yet when it has neither signed
// nor declined; "current" true, false, or null when no text was signed),
// the declarations and reservations, and the statements. Keys are
// snake_case, times RFC 3339 in UTC (null when not set), lists never null.
func FinalActsJSON(fa FinalActs) []byte {
	t := countSignatures(fa.Signatures)
	eids := ProvisionEID(fa)
	out := jsonFinalActs{
		Forum: fa.Forum, ForumSlug: fa.ForumSlug, ForumURL: fa.ForumURL, Number: fa.Number, Title: fa.Title,
		Language: fa.Language, Version: fa.version(), URL: fa.URL,
		AdoptedAt: jsonTime(fa.Date), OpenedAt: jsonTime(fa.OpenedAt), ClosedAt: jsonTime(fa.ClosedAt), CutOff: jsonTime(fa.CutOff),
		TextHash: fa.TextHash,
		Tally: jsonTally{Eligible: t.eligible, Signed: t.signed, SubjectToRatification: t.ratification, Declined: t.declined,
			NotYet: t.notYet, SignedSupersededText: t.superseded},
		Provisions:   []jsonProvision{},
		Signatures:   []jsonSignature{},
		Declarations: []jsonDeclaration{},
		Statements:   []jsonStatement{},
	}
	if out.Language == "" {
		out.Language = "en"
	}
	for _, p := range fa.Provisions {
		out.Provisions = append(out.Provisions, jsonProvision{Key: p.Key, EID: eids[p.Key], Instrument: p.Instrument, DraftID: p.DraftID,
			Revision: p.Revision, ProvisionID: p.ProvisionID, Kind: string(p.Kind), Intro: p.Intro, Label: p.Label, Text: p.Text})
	}
	for i := range fa.Signatures {
		s := &fa.Signatures[i]
		js := jsonSignature{PartyCode: s.PartyCode, PartyName: s.PartyName, ISO3: s.ISO3, Region: s.Region, Group: s.Group,
			State: s.state(), At: jsonTime(s.At)}
		if s.state() != SignatureNotYet {
			js.Signer, js.SignerRole = s.Signer, s.SignerRole
		}
		if s.signed() {
			cur := s.Current
			js.TextHash, js.Current = s.TextHash, &cur
		}
		out.Signatures = append(out.Signatures, js)
	}
	for _, d := range fa.Declarations {
		jd := jsonDeclaration{No: d.No, Kind: d.Kind, Additional: d.Additional, Answers: append([]int{}, d.Answers...),
			Parties: []jsonParty{}, Provisions: append([]string{}, d.Provisions...), Text: d.Text, DepositedAt: jsonTime(d.DepositedAt)}
		for _, p := range d.Parties {
			jd.Parties = append(jd.Parties, jsonParty(p))
		}
		switch d.Kind {
		case DeclarationKindReservation:
			out.Tally.ReservationsDeposited++
		default:
			out.Tally.DeclarationsDeposited++
		}
		if d.Additional {
			out.Tally.AdditionalDeclarations++
		}
		out.Declarations = append(out.Declarations, jd)
	}
	for i := range fa.Statements {
		s := &fa.Statements[i]
		js := jsonStatement{Kind: s.kind(), Author: s.Author, Subject: s.Subject, Text: s.Text, At: jsonTime(s.At)}
		if s.Party.Code != "" || s.Party.Name != "" {
			js.Party = &jsonParty{Code: s.Party.Code, Name: s.Party.Name}
		}
		out.Statements = append(out.Statements, js)
	}
	b, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		// Strings, numbers and booleans always marshal.
		panic(err)
	}
	return append(b, '\n')
}
