package participation

import (
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/participation"
	"github.com/plenary-forum/plenary/internal/rules"
	"github.com/plenary-forum/plenary/internal/web"
)

type partyRow struct {
	participation.Party
	GroupName string
	Count     int
}

type partyGroup struct {
	Group   rules.Group
	Parties []partyRow
}

type participantsPage struct {
	web.Base
	List participation.ParticipantList
	// Parties are grouped by stakeholder group, in the forum's order.
	Parties  []partyGroup
	Groups   rules.Groups
	Viewer   forum.Viewer
	Settings forum.ParticipationSettings
	Treaty   bool
	// Mine are the viewer's own registrations in this forum.
	Mine []participation.Registration
	// Gone are the withdrawn and merged parties, kept for the record.
	Gone    []partyRow
	PartyIn participation.PartyInput
	Kinds   []forum.Choice
	// Import problems of a refused file, and the warnings of its rows.
	ImportRows     []participation.RowError
	ImportWarnings []participation.Warning
	// Report is what an import did, or, for a dry run, would do.
	Report *participation.ImportReport
}

func (h *handler) participants(r *http.Request) (participantsPage, error) {
	b, f, v, err := h.ForumBase(r, "Participants", "participants")
	if err != nil {
		return participantsPage{}, err
	}
	a := forum.ActorFrom(r.Context())
	p := participantsPage{Base: b, Viewer: v, Kinds: participation.PartyKinds, Treaty: f.Kind == forum.KindTreatyConference}
	if p.List, err = h.svc.Participation.Participants(r.Context(), h.Scope(r, f)); err != nil {
		return p, err
	}
	if p.Groups, err = h.Scope(r, f).Groups(r.Context()); err != nil {
		return p, err
	}
	if p.Settings, err = h.svc.Kernel.ParticipationSettings(r.Context(), h.Scope(r, f)); err != nil {
		return p, err
	}
	parties, err := h.svc.Participation.Parties(r.Context(), h.Scope(r, f))
	if err != nil {
		return p, err
	}
	counts := map[string]int{}
	for _, c := range p.List.ByParty {
		counts[c.Code] = c.Count
	}
	byGroup := map[string][]partyRow{}
	for _, pt := range parties {
		row := partyRow{Party: pt, GroupName: p.Groups.Lookup(pt.Group).Name, Count: counts[pt.Code]}
		if !pt.Active() {
			p.Gone = append(p.Gone, row)
			continue
		}
		byGroup[pt.Group] = append(byGroup[pt.Group], row)
	}
	for _, g := range p.Groups {
		if rows := byGroup[g.Key]; len(rows) > 0 {
			p.Parties = append(p.Parties, partyGroup{Group: g, Parties: rows})
		}
	}
	if a.LoggedIn() {
		mine, err := h.svc.Participation.MyRegistrations(r.Context(), a)
		if err != nil {
			return p, err
		}
		for _, reg := range mine {
			if reg.ForumID == f.ID {
				p.Mine = append(p.Mine, reg)
			}
		}
	}
	return p, nil
}

// showParticipants lists who takes part: counts per stakeholder group and
// party for everyone, names as the forum's setting allows, and the
// parties with their delegations.
func (h *handler) showParticipants(w http.ResponseWriter, r *http.Request) error {
	p, err := h.participants(r)
	if err != nil {
		return err
	}
	h.Render(w, r, http.StatusOK, "part_participants", p)
	return nil
}

type namesPage struct {
	web.Base
	List   participation.ParticipantList
	Groups rules.Groups
}

// showParticipantNames is the list of participants by name. When the forum
// publishes only counts it is a restricted document: the refusal names
// the missing right.
func (h *handler) showParticipantNames(w http.ResponseWriter, r *http.Request) error {
	b, f, _, err := h.ForumBase(r, "List of participants", "participants")
	if err != nil {
		return err
	}
	l, err := h.svc.Participation.ParticipantNames(r.Context(), h.Scope(r, f))
	if err != nil {
		return err
	}
	gs, err := h.Scope(r, f).Groups(r.Context())
	if err != nil {
		return err
	}
	h.Render(w, r, http.StatusOK, "part_names", namesPage{Base: b, List: l, Groups: gs})
	return nil
}

func partyInputFrom(r *http.Request) participation.PartyInput {
	return participation.PartyInput{Code: r.PostFormValue("code"), Name: r.PostFormValue("name"), Group: r.PostFormValue("group"),
		Kind: r.PostFormValue("kind"), Country: r.PostFormValue("country"), ISO2: r.PostFormValue("iso2"), ISO3: r.PostFormValue("iso3"),
		Region: r.PostFormValue("region")}
}

func (h *handler) addParty(w http.ResponseWriter, r *http.Request) error {
	slug := r.PathValue("slug")
	in := partyInputFrom(r)
	sc, err := h.ForumScope(r)
	if err != nil {
		return err
	}
	pt, err := h.svc.Participation.AddParty(r.Context(), sc, in)
	if err != nil {
		return web.RefuseForm(h.Core, w, r, err, "part_participants", h.participants, func(p *participantsPage) { p.PartyIn = in })
	}
	return h.Redirect(w, r, "/forums/"+slug+"/parties/"+pt.Code, "The party "+pt.Name+" is added.")
}

// importParties takes a CSV file of parties (the ITU member-state list or
// the plain format): all rows or none.
func (h *handler) importParties(w http.ResponseWriter, r *http.Request) error {
	slug := r.PathValue("slug")
	r.Body = http.MaxBytesReader(w, r.Body, h.Options().MaxUploadBytes)
	if err := r.ParseMultipartForm(4 << 20); err != nil {
		return web.FormError(err)
	}
	if err := web.CheckCSRF(r); err != nil {
		return err
	}
	file, _, err := r.FormFile("file")
	if err != nil {
		return web.RefuseForm[participantsPage](h.Core, w, r, plenary.Invalid("file", "choose a CSV file"), "part_participants", h.participants, nil)
	}
	defer file.Close()
	sc, err := h.ForumScope(r)
	if err != nil {
		return err
	}
	rows, err := participation.ParsePartiesCSV(io.LimitReader(file, h.Options().MaxUploadBytes), r.FormValue("membership"))
	var rep participation.ImportReport
	if err == nil {
		rep, err = h.svc.Participation.ImportParties(r.Context(), sc, rows, participation.ImportOptions{DryRun: r.FormValue("dry_run") != ""})
	}
	var ie *participation.ImportError
	if errors.As(err, &ie) {
		p, perr := h.participants(r)
		if perr != nil {
			return perr
		}
		p.ImportRows, p.ImportWarnings = ie.Rows, ie.Warnings
		p.Problem = "The file has problems, listed below; nothing was imported."
		h.Render(w, r, http.StatusUnprocessableEntity, "part_participants", p)
		return nil
	}
	if err != nil {
		return web.RefuseForm[participantsPage](h.Core, w, r, err, "part_participants", h.participants, nil)
	}
	if rep.DryRun || len(rep.Warnings) > 0 {
		// The report is the answer: what would be imported, or what
		// was, with what to look at.
		p, err := h.participants(r)
		if err != nil {
			return err
		}
		p.Report = &rep
		h.Render(w, r, http.StatusOK, "part_participants", p)
		return nil
	}
	return h.Redirect(w, r, "/forums/"+slug+"/participants", partPlural(len(rows), "party was", "parties were")+" imported.")
}

func partPlural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

type partyPage struct {
	web.Base
	D           participation.Delegation
	Viewer      forum.Viewer
	Treaty      bool
	Credentials []rules.Credentials
	CredIn      participation.CredentialsInput
	FocalEmail  string
	// Names are a State's official names in the forum's languages.
	Names  []participation.LocalName
	Groups rules.Groups
	Kinds  []forum.Choice
	// The secretariat's forms: a correction, a merge, a withdrawal.
	// Failed names the form whose input was refused, whose fields the
	// errors are about.
	Edit           partyForm
	MergeIn        participation.MergeInput
	WithdrawReason string
	Failed         string
}

// partyForm is the correction form of a party, as strings.
type partyForm struct {
	Code, Name, Kind, Group, Country, Region, Reason string
}

func partyFormOf(p participation.Party) partyForm {
	country := p.ISO3
	if country == "" {
		country = p.ISO2
	}
	return partyForm{Code: p.Code, Name: p.Name, Kind: p.Kind, Group: p.Group, Country: country, Region: p.Region}
}

// StatusNote says, for a party no longer taking part, what became of it.
func (p partyPage) StatusNote() string {
	switch pt := p.D.Party; pt.Status {
	case participation.PartyWithdrawn:
		return pt.Name + " has withdrawn from " + p.Forum.Title + "."
	case participation.PartyMerged:
		return pt.Code + " was a duplicate: it was merged into " + pt.MergedIntoName + " (" + pt.MergedInto + "), which has its registrations, focal points, documents and proposals."
	}
	return ""
}

// PendingLabel heads the registrations of the party waiting for approval,
// in the words of their state.
func (partyPage) PendingLabel() string {
	return forum.Label(forum.RegistrationStates, forum.RegPending)
}

func (h *handler) party(r *http.Request) (partyPage, error) {
	b, f, v, err := h.ForumBase(r, "Delegation", "participants")
	if err != nil {
		return partyPage{}, err
	}
	d, err := h.svc.Participation.DelegationOf(r.Context(), h.Scope(r, f), r.PathValue("code"))
	if err != nil {
		return partyPage{}, err
	}
	b.Title = d.Party.Name + " · " + f.Title
	p := partyPage{Base: b, D: d, Viewer: v, Treaty: f.Kind == forum.KindTreatyConference, Credentials: rules.AllCredentials(),
		CredIn: participation.CredentialsInput{State: string(d.Party.Credentials), Proxy: d.Party.ProxyCode, Note: d.Party.CredentialsNote},
		Names:  d.Party.NamesIn(f.Languages), Kinds: participation.PartyKinds, Edit: partyFormOf(d.Party)}
	if v.Secretariat {
		if p.Groups, err = h.Scope(r, f).Groups(r.Context()); err != nil {
			return partyPage{}, err
		}
	}
	return p, nil
}

// showParty is a party's page: its delegation (names as the forum's
// setting allows, and the stakeholder backgrounds of its people), focal
// points, credentials, and, for those who decide, pending registrations.
func (h *handler) showParty(w http.ResponseWriter, r *http.Request) error {
	p, err := h.party(r)
	if err != nil {
		return err
	}
	h.Render(w, r, http.StatusOK, "part_party", p)
	return nil
}

func (h *handler) recordCredentials(w http.ResponseWriter, r *http.Request) error {
	slug, code := r.PathValue("slug"), r.PathValue("code")
	in := participation.CredentialsInput{State: r.PostFormValue("state"), Proxy: r.PostFormValue("proxy"), Note: r.PostFormValue("note")}
	sc, err := h.ForumScope(r)
	if err != nil {
		return err
	}
	pt, err := h.svc.Participation.RecordCredentials(r.Context(), sc, code, in)
	if err != nil {
		return web.RefuseForm(h.Core, w, r, err, "part_party", h.party, func(p *partyPage) { p.CredIn = in })
	}
	return h.Redirect(w, r, "/forums/"+slug+"/parties/"+pt.Code, "The credentials of "+pt.Name+" are recorded: "+pt.Credentials.Label()+".")
}

// updateParty corrects a party from its form: the fields that differ from
// the party's change.
func (h *handler) updateParty(w http.ResponseWriter, r *http.Request) error {
	slug, code := r.PathValue("slug"), r.PathValue("code")
	sc, err := h.ForumScope(r)
	if err != nil {
		return err
	}
	old, err := h.svc.Participation.PartyByCode(r.Context(), sc, code)
	if err != nil {
		return err
	}
	was := partyFormOf(old)
	in := partyForm{Code: r.PostFormValue("code"), Name: r.PostFormValue("name"), Kind: r.PostFormValue("kind"),
		Group: r.PostFormValue("group"), Country: r.PostFormValue("country"), Region: r.PostFormValue("region"), Reason: r.PostFormValue("reason")}
	ch := participation.PartyChange{Reason: in.Reason}
	for _, f := range []struct {
		sent bool
		now  string
		was  string
		to   **string
	}{
		{r.PostForm.Has("code"), in.Code, was.Code, &ch.Code}, {r.PostForm.Has("name"), in.Name, was.Name, &ch.Name},
		{r.PostForm.Has("kind"), in.Kind, was.Kind, &ch.Kind}, {r.PostForm.Has("group"), in.Group, was.Group, &ch.Group},
		{r.PostForm.Has("country"), in.Country, was.Country, &ch.Country}, {r.PostForm.Has("region"), in.Region, was.Region, &ch.Region},
	} {
		if f.sent && strings.TrimSpace(f.now) != f.was {
			v := f.now
			*f.to = &v
		}
	}
	if ch.Code == nil && ch.Name == nil && ch.Kind == nil && ch.Group == nil && ch.Country == nil && ch.Region == nil {
		return h.Redirect(w, r, "/forums/"+slug+"/parties/"+old.Code, "Nothing changed.")
	}
	pt, err := h.svc.Participation.UpdateParty(r.Context(), sc, code, ch)
	if err != nil {
		return web.RefuseForm(h.Core, w, r, err, "part_party", h.party, func(p *partyPage) { p.Edit, p.Failed = in, "edit" })
	}
	return h.Redirect(w, r, "/forums/"+slug+"/parties/"+pt.Code, "The party "+pt.Name+" is corrected.")
}

// mergeParty merges the party of the page, a duplicate, into another.
func (h *handler) mergeParty(w http.ResponseWriter, r *http.Request) error {
	slug, code := r.PathValue("slug"), r.PathValue("code")
	in := participation.MergeInput{Into: r.PostFormValue("into"), Reason: r.PostFormValue("reason")}
	sc, err := h.ForumScope(r)
	if err != nil {
		return err
	}
	keep, err := h.svc.Participation.MergeParties(r.Context(), sc, code, in)
	if err != nil {
		return web.RefuseForm(h.Core, w, r, err, "part_party", h.party, func(p *partyPage) { p.MergeIn, p.Failed = in, "merge" })
	}
	return h.Redirect(w, r, "/forums/"+slug+"/parties/"+keep.Code, strings.ToUpper(code)+" is merged into "+keep.Name+".")
}

// withdrawParty withdraws the party of the page, with a reason.
func (h *handler) withdrawParty(w http.ResponseWriter, r *http.Request) error {
	slug, code := r.PathValue("slug"), r.PathValue("code")
	reason := r.PostFormValue("reason")
	sc, err := h.ForumScope(r)
	if err != nil {
		return err
	}
	pt, err := h.svc.Participation.WithdrawParty(r.Context(), sc, code, reason)
	if err != nil {
		return web.RefuseForm(h.Core, w, r, err, "part_party", h.party, func(p *partyPage) { p.WithdrawReason, p.Failed = reason, "withdraw" })
	}
	return h.Redirect(w, r, "/forums/"+slug+"/parties/"+pt.Code, pt.Name+" is withdrawn.")
}

func (h *handler) appointFocalPoint(w http.ResponseWriter, r *http.Request) error {
	slug, code := r.PathValue("slug"), r.PathValue("code")
	email := r.PostFormValue("email")
	sc, err := h.ForumScope(r)
	if err != nil {
		return err
	}
	fp, err := h.svc.Participation.AppointFocalPoint(r.Context(), sc, code, email)
	if err != nil {
		return web.RefuseForm(h.Core, w, r, err, "part_party", h.party, func(p *partyPage) { p.FocalEmail = email })
	}
	return h.Redirect(w, r, "/forums/"+slug+"/parties/"+code, fp.Name+" is now a focal point.")
}

func (h *handler) removeFocalPoint(w http.ResponseWriter, r *http.Request) error {
	slug, code := r.PathValue("slug"), r.PathValue("code")
	sc, err := h.ForumScope(r)
	if err != nil {
		return err
	}
	if err := h.svc.Participation.RemoveFocalPoint(r.Context(), sc, code, r.PathValue("user")); err != nil {
		return err
	}
	return h.Redirect(w, r, "/forums/"+slug+"/parties/"+code, "The focal point is removed.")
}

type applyPage struct {
	web.Base
	In       participation.ApplicationInput
	Groups   rules.Groups
	Settings forum.ParticipationSettings
	Mine     []participation.Registration
}

func (h *handler) applyForm(r *http.Request, in participation.ApplicationInput) (applyPage, error) {
	b, f, _, err := h.ForumBase(r, "Apply for observer status", "participants")
	if err != nil {
		return applyPage{}, err
	}
	a := forum.ActorFrom(r.Context())
	if !a.LoggedIn() {
		return applyPage{}, plenary.Unauthorized("log in or create an account to apply")
	}
	p := applyPage{Base: b, In: in}
	if p.Groups, err = h.Scope(r, f).Groups(r.Context()); err != nil {
		return p, err
	}
	p.Groups = participation.ObserverGroups(p.Groups)
	if p.Settings, err = h.svc.Kernel.ParticipationSettings(r.Context(), h.Scope(r, f)); err != nil {
		return p, err
	}
	mine, err := h.svc.Participation.MyRegistrations(r.Context(), a)
	if err != nil {
		return p, err
	}
	for _, reg := range mine {
		if reg.ForumID == f.ID && reg.Open() {
			p.Mine = append(p.Mine, reg)
		}
	}
	return p, nil
}

// showApply is the public application form for observer status.
func (h *handler) showApply(w http.ResponseWriter, r *http.Request) error {
	p, err := h.applyForm(r, participation.ApplicationInput{Mode: string(rules.InRoom)})
	if err != nil {
		return err
	}
	h.Render(w, r, http.StatusOK, "part_apply", p)
	return nil
}

func (h *handler) apply(w http.ResponseWriter, r *http.Request) error {
	in := participation.ApplicationInput{Mode: r.PostFormValue("mode"), Affiliation: r.PostFormValue("affiliation"),
		Group: r.PostFormValue("group"), Background: r.PostFormValue("background"), Statement: r.PostFormValue("statement")}
	sc, err := h.ForumScope(r)
	if err != nil {
		return err
	}
	if _, err := h.svc.Participation.ApplyAsObserver(r.Context(), sc, in); err != nil {
		return web.RefuseForm[applyPage](h.Core, w, r, err, "part_apply", func(r *http.Request) (applyPage, error) { return h.applyForm(r, in) }, nil)
	}
	return h.Redirect(w, r, "/registrations", "Your application is sent. The secretariat will decide on it; its state is shown here.")
}

type registerPage struct {
	web.Base
	In      participation.RegistrationInput
	Parties []participation.Party
	Groups  rules.Groups
	Roles   []rules.Role
	// Offices may be held beside the role (the secretariat's form).
	Offices []rules.Role
	Viewer  forum.Viewer
}

func (h *handler) registerForm(r *http.Request, in participation.RegistrationInput) (registerPage, error) {
	b, f, v, err := h.ForumBase(r, "Register", "participants")
	if err != nil {
		return registerPage{}, err
	}
	if !forum.ActorFrom(r.Context()).LoggedIn() {
		return registerPage{}, plenary.Unauthorized("log in or create an account to register")
	}
	p := registerPage{Base: b, In: in, Viewer: v, Offices: participation.Offices()}
	parties, err := h.svc.Participation.Parties(r.Context(), h.Scope(r, f))
	if err != nil {
		return p, err
	}
	for _, pt := range parties {
		if pt.Active() {
			p.Parties = append(p.Parties, pt)
		}
	}
	if p.Groups, err = h.Scope(r, f).Groups(r.Context()); err != nil {
		return p, err
	}
	for _, role := range rules.Roles() {
		if role != rules.RoleGuest {
			p.Roles = append(p.Roles, role)
		}
	}
	return p, nil
}

// showRegister is the form to register for a party (yourself, or, for
// those who approve, someone else).
func (h *handler) showRegister(w http.ResponseWriter, r *http.Request) error {
	p, err := h.registerForm(r, participation.RegistrationInput{Party: r.URL.Query().Get("party"), Role: string(rules.RoleDelegate), Mode: string(rules.InRoom)})
	if err != nil {
		return err
	}
	h.Render(w, r, http.StatusOK, "part_register", p)
	return nil
}

func (h *handler) register(w http.ResponseWriter, r *http.Request) error {
	slug := r.PathValue("slug")
	in := participation.RegistrationInput{Email: r.PostFormValue("email"), Party: r.PostFormValue("party"), Group: r.PostFormValue("group"),
		Role: r.PostFormValue("role"), Mode: r.PostFormValue("mode"), Affiliation: r.PostFormValue("affiliation"),
		Background: r.PostFormValue("background"), Statement: r.PostFormValue("statement"), Offices: r.PostForm["offices"]}
	sc, err := h.ForumScope(r)
	if err != nil {
		return err
	}
	reg, err := h.svc.Participation.Register(r.Context(), sc, in)
	if err != nil {
		return web.RefuseForm[registerPage](h.Core, w, r, err, "part_register", func(r *http.Request) (registerPage, error) { return h.registerForm(r, in) }, nil)
	}
	if reg.UserID != forum.ActorFrom(r.Context()).UserID {
		return h.Redirect(w, r, "/forums/"+slug+"/participants", reg.Name+" is registered and approved.")
	}
	return h.Redirect(w, r, "/registrations", "Your registration is recorded: "+strings.ToLower(reg.StateLabel())+".")
}

type guestPage struct {
	web.Base
	Email, Mode, Affiliation, Statement string
	Grantable                           []rules.Action
	Checked                             []string
	NoRights                            bool
}

func (h *handler) guestForm(r *http.Request) (guestPage, error) {
	if !forum.ActorFrom(r.Context()).LoggedIn() {
		return guestPage{}, plenary.Unauthorized("log in first")
	}
	b, f, v, err := h.ForumBase(r, "Invite a guest", "participants")
	if err != nil {
		return guestPage{}, err
	}
	if !v.Secretariat {
		return guestPage{}, plenary.Forbidden("only the secretariat of %s invites guests", f.Title)
	}
	return guestPage{Base: b, Mode: string(rules.InRoom), Grantable: rules.GuestGrantable()}, nil
}

// showInviteGuest is the secretariat's form to invite a guest, with the
// guest's rights stated one by one.
func (h *handler) showInviteGuest(w http.ResponseWriter, r *http.Request) error {
	p, err := h.guestForm(r)
	if err != nil {
		return err
	}
	h.Render(w, r, http.StatusOK, "part_guest", p)
	return nil
}

func (h *handler) inviteGuest(w http.ResponseWriter, r *http.Request) error {
	slug := r.PathValue("slug")
	in := participation.GuestInput{Email: r.PostFormValue("email"), Mode: r.PostFormValue("mode"), Affiliation: r.PostFormValue("affiliation"),
		Statement: r.PostFormValue("statement")}
	grants := r.PostForm["grants"]
	noRights := r.PostFormValue("no_rights") == "yes"
	switch {
	case noRights && len(grants) > 0:
		in.Grants = &grants // the command refuses the contradiction below
	case noRights:
		empty := []string{}
		in.Grants = &empty
	case len(grants) > 0:
		in.Grants = &grants
	}
	sc, err := h.ForumScope(r)
	if err != nil {
		return err
	}
	if noRights && len(grants) > 0 {
		err = plenary.Invalid("grants", "choose some rights or no rights, not both")
	} else {
		_, err = h.svc.Participation.InviteGuest(r.Context(), sc, in)
	}
	if err != nil {
		return web.RefuseForm(h.Core, w, r, err, "part_guest", h.guestForm, func(p *guestPage) {
			p.Email, p.Mode, p.Affiliation, p.Statement, p.Checked, p.NoRights = in.Email, in.Mode, in.Affiliation, in.Statement, grants, noRights
		})
	}
	return h.Redirect(w, r, "/forums/"+slug+"/rules#guests", "The guest is invited; their rights are published on the rules page.")
}

type approvalsPage struct {
	web.Base
	Queue  []participation.Registration
	Groups rules.Groups
	// FailedID is the registration whose form was refused.
	FailedID string
	Reason   string
}

// GroupName is the name of the forum's group key, or "" when key is not
// one (the free-text background of an application for observer status).
func (p approvalsPage) GroupName(key string) string {
	if g, ok := p.Groups.Find(key); ok {
		return g.Name
	}
	return ""
}

func (h *handler) approvals(r *http.Request) (approvalsPage, error) {
	b, f, _, err := h.ForumBase(r, "Approvals", "approvals")
	if err != nil {
		return approvalsPage{}, err
	}
	q, err := h.svc.Participation.ApprovalQueue(r.Context(), h.Scope(r, f))
	if err != nil {
		return approvalsPage{}, err
	}
	gs, err := h.Scope(r, f).Groups(r.Context())
	if err != nil {
		return approvalsPage{}, err
	}
	return approvalsPage{Base: b, Queue: q, Groups: gs}, nil
}

// showApprovals is the queue of pending registrations the viewer decides
// on: all of them for the secretariat, its parties' for a focal point.
func (h *handler) showApprovals(w http.ResponseWriter, r *http.Request) error {
	p, err := h.approvals(r)
	if err != nil {
		return err
	}
	h.Render(w, r, http.StatusOK, "part_approvals", p)
	return nil
}

func (h *handler) approveRegistration(w http.ResponseWriter, r *http.Request) error {
	return h.decideRegistration(w, r, "approve")
}

func (h *handler) declineRegistration(w http.ResponseWriter, r *http.Request) error {
	return h.decideRegistration(w, r, "decline")
}

func (h *handler) withdrawRegistration(w http.ResponseWriter, r *http.Request) error {
	return h.decideRegistration(w, r, "withdraw")
}

func (h *handler) decideRegistration(w http.ResponseWriter, r *http.Request, how string) error {
	slug, id := r.PathValue("slug"), r.PathValue("id")
	a, reason := forum.ActorFrom(r.Context()), r.PostFormValue("reason")
	sc, err := h.ForumScope(r)
	if err != nil {
		return err
	}
	var reg participation.Registration
	switch how {
	case "approve":
		reg, err = h.svc.Participation.ApproveRegistration(r.Context(), sc, id)
	case "decline":
		reg, err = h.svc.Participation.DeclineRegistration(r.Context(), sc, id, reason)
	default:
		reg, err = h.svc.Participation.WithdrawRegistration(r.Context(), sc, id, reason)
	}
	next := web.LocalPath(r.PostFormValue("next"))
	if next == "/" {
		next = "/forums/" + slug + "/approvals"
	}
	if err != nil && strings.HasSuffix(next, "/approvals") {
		return web.RefuseForm(h.Core, w, r, err, "part_approvals", h.approvals, func(p *approvalsPage) { p.FailedID, p.Reason = id, reason })
	}
	if err != nil {
		return err
	}
	state := strings.ToLower(reg.StateLabel())
	if reg.UserID == a.UserID && how == "withdraw" {
		return h.Redirect(w, r, next, "Your registration is "+state+".")
	}
	return h.Redirect(w, r, next, "The registration of "+reg.Name+" is "+state+".")
}

type myRegistrationsPage struct {
	web.Base
	Regs []participation.Registration
}

// showMyRegistrations lists the viewer's registrations and applications in
// every forum with their state, and the reason when one was declined.
func (h *handler) showMyRegistrations(w http.ResponseWriter, r *http.Request) error {
	rs, err := h.svc.Participation.MyRegistrations(r.Context(), forum.ActorFrom(r.Context()))
	if err != nil {
		return err
	}
	h.Render(w, r, http.StatusOK, "part_mine", myRegistrationsPage{Base: h.Base(r, "Your registrations"), Regs: rs})
	return nil
}
