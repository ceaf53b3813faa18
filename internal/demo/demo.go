// Package demo loads the demo forums: WTPF-13, the ITU's 2013 World
// Telecommunication/ICT Policy Forum, with its Plenary and Informal Experts
// Group, the real ITU Member States, a few Sector Members, civil-society
// and technical-community organisations, and demo accounts for each kind
// of participant. Loading is idempotent: a forum that exists is left alone.
package demo

import (
	"context"
	_ "embed"
	"errors"
	"fmt"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/account"
	"github.com/plenary-forum/plenary/internal/app"
	"github.com/plenary-forum/plenary/internal/forum"
)

// MemberStatesCSV is the list of ITU Member States (ISO codes, ITU codes,
// UN regions, membership in 2012-13 and today), public domain, from the
// datasets/country-codes project.
//
//go:embed data/itu-member-states.csv
var MemberStatesCSV []byte

// Login is a demo account.
type Login struct {
	Key      string // stable key: secretariat, chair, member_state, sector_member, civil_society, public
	Role     string // who it is, for people
	Name     string
	Email    string
	Password string
}

// Logins are the demo accounts. The passwords are public: this is a demo.
var Logins = []Login{
	{"secretariat", "Secretariat officer (ITU)", "Sofia Secretariat", "secretariat@demo.plenary.example", "demo-secretariat"},
	{"chair", "Chair of the Forum", "Chidi Chair", "chair@demo.plenary.example", "demo-chair-pass"},
	{"member_state", "Member State delegate (Brazil)", "Beatriz Delegate", "brazil@demo.plenary.example", "demo-delegate"},
	{"sector_member", "Sector Member delegate (a telecom operator)", "Samir Sector", "operator@demo.plenary.example", "demo-sector-member"},
	{"civil_society", "Civil-society observer", "Cecilia Civil", "civil@demo.plenary.example", "demo-civil-society"},
	{"remote_delegate", "Civil-society delegate (remote)", "Chidi Okafor", "remote.cs@demo.plenary.example", "demo-remote-delegate"},
	{"public", "Member of the public", "Pat Public", "public@demo.plenary.example", "demo-public-pass"},
}

// LoginByKey returns a demo login.
func LoginByKey(key string) Login {
	for _, l := range Logins {
		if l.Key == key {
			return l
		}
	}
	panic("demo: no login " + key)
}

// Load creates the demo forums and accounts that do not exist yet.
func Load(ctx context.Context, svc *app.App) error {
	users := map[string]account.User{}
	for _, l := range Logins {
		u, err := svc.Accounts.UserByEmail(ctx, l.Email)
		if errors.Is(err, plenary.ErrNotFound) {
			u, err = svc.Accounts.CreateUser(ctx, forum.System, account.NewUser{Email: l.Email, Name: l.Name, Password: l.Password, Admin: l.Key == "secretariat"})
		}
		if err != nil {
			return fmt.Errorf("demo: account %s: %w", l.Email, err)
		}
		users[l.Key] = u
	}
	for _, step := range steps {
		if err := step(ctx, svc, users); err != nil {
			return err
		}
	}
	return nil
}

// steps are the demo's loaders in order; each is idempotent.
var steps = []func(context.Context, *app.App, map[string]account.User) error{
	loadWTPF,
	loadWTPFParticipation,
	loadWTPFDocuments,
	loadWTPFDrafting,
	loadWTPFDeadlines,
	loadWCIT,
	loadIGF,
	loadWTPFMeetings,
	loadNETmundial,
	loadDecisions,
	loadFinalActs,
	loadNETmundialConsultation,
}

// WTPFSlug is the demo WTPF-13 forum's slug.
const WTPFSlug = "wtpf-13"

func loadWTPF(ctx context.Context, svc *app.App, users map[string]account.User) error {
	if exists, err := forumExists(ctx, svc, WTPFSlug); exists || err != nil {
		return err
	}
	sec := actorOf(users["secretariat"])
	pub := true
	f, err := svc.Kernel.CreateForum(ctx, sec, forum.ForumInput{
		Slug: WTPFSlug, Title: "WTPF-13: Fifth World Telecommunication/ICT Policy Forum", Kind: forum.KindPolicyForum,
		StartsOn: "2013-05-14", EndsOn: "2013-05-16", Venue: "Geneva", Languages: []string{"en", "fr", "es", "ar", "ru", "zh"},
		DocPrefix: "WTPF-13", DefaultPublic: &pub,
		Description: "The ITU's policy forum on international Internet-related public policy matters. It adopts non-binding opinions by consensus, on the basis of the Secretary-General's report prepared with an Informal Experts Group open to all stakeholders.",
	})
	if err != nil {
		return fmt.Errorf("demo: WTPF-13: %w", err)
	}
	for _, b := range []forum.BodyInput{
		{Slug: "plenary", Name: "Plenary", Kind: "plenary"},
		{Slug: "ieg", Name: "Informal Experts Group", Kind: "experts_group"},
		{Slug: "wg3", Name: "Working Group 3 (Opinions 5 and 6)", Kind: "working_group", ParentSlug: "plenary"},
	} {
		if _, err := svc.Kernel.CreateBody(ctx, scopeIn(ctx, svc.Kernel, sec, f.Slug), b); err != nil {
			return fmt.Errorf("demo: WTPF-13 body %s: %w", b.Slug, err)
		}
	}
	return nil
}

// forumExists tells the idempotent loaders whether a demo forum is there
// already.
func forumExists(ctx context.Context, svc *app.App, slug string) (bool, error) {
	_, err := svc.Kernel.ForumBySlug(ctx, slug)
	if errors.Is(err, plenary.ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

func actorOf(u account.User) forum.Actor {
	return forum.Actor{UserID: u.ID, Name: u.Name, Email: u.Email, Admin: u.Admin, Via: "cli"}
}
