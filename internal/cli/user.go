package cli

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/account"
	"github.com/plenary-forum/plenary/internal/config"
	"github.com/plenary-forum/plenary/internal/forum"
)

func init() {
	register(command{"user", "create accounts and API tokens: user create | user token", runUser})
}

func runUser(ctx context.Context, env *Env, args []string) error {
	if len(args) == 0 {
		return exitError{2, "usage: plenary user create --email E --name N [--admin] [--password-file F]\n       plenary user token --email E --name TOKEN-NAME"}
	}
	switch args[0] {
	case "create":
		return userCreate(ctx, env, args[1:])
	case "token":
		return userToken(ctx, env, args[1:])
	}
	return exitError{2, fmt.Sprintf("plenary user: unknown subcommand %q (want create or token)", args[0])}
}

func userCreate(ctx context.Context, env *Env, args []string) error {
	fs := flags(env, "user create", "--email E --name N [--admin] [--password-file F]")
	email := fs.String("email", "", "e-mail address (login)")
	name := fs.String("name", "", "display name")
	admin := fs.Bool("admin", false, "make the account the secretariat (site administrator)")
	pwFile := fs.String("password-file", "", "read the password from this file; default: PLENARY_PASSWORD, else the first line of standard input")
	cfg, _, err := config.Load(fs, args, env.Getenv)
	if err != nil {
		return err
	}
	pw, err := readPassword(env, *pwFile)
	if err != nil {
		return err
	}
	a, err := open(ctx, cfg, newLogger(cfg, env.Stderr))
	if err != nil {
		return err
	}
	defer a.Close()
	u, err := a.svc.Accounts.CreateUser(ctx, forum.System, account.NewUser{Email: *email, Name: *name, Password: pw, Admin: *admin})
	if err != nil {
		return err
	}
	role := "user"
	if u.Admin {
		role = "secretariat (admin)"
	}
	fmt.Fprintf(env.Stdout, "created %s %s <%s> id %s\n", role, u.Name, u.Email, u.ID)
	return nil
}

// readPassword never echoes or logs the password.
func readPassword(env *Env, file string) (string, error) {
	if file != "" {
		b, err := os.ReadFile(file)
		if err != nil {
			return "", plenary.Invalid("password-file", "cannot be read")
		}
		return strings.TrimRight(string(b), "\r\n"), nil
	}
	if pw := env.Getenv("PLENARY_PASSWORD"); pw != "" {
		return pw, nil
	}
	fmt.Fprint(env.Stderr, "Password (one line on standard input): ")
	line, err := bufio.NewReader(env.Stdin).ReadString('\n')
	if err != nil && line == "" {
		return "", plenary.Invalid("password", "none given: use --password-file, PLENARY_PASSWORD or standard input")
	}
	fmt.Fprintln(env.Stderr)
	return strings.TrimRight(line, "\r\n"), nil
}

func userToken(ctx context.Context, env *Env, args []string) error {
	fs := flags(env, "user token", "--email E --name TOKEN-NAME")
	email := fs.String("email", "", "the account's e-mail address")
	name := fs.String("name", "cli", "a name for the token")
	cfg, _, err := config.Load(fs, args, env.Getenv)
	if err != nil {
		return err
	}
	a, err := open(ctx, cfg, newLogger(cfg, env.Stderr))
	if err != nil {
		return err
	}
	defer a.Close()
	u, err := a.svc.Accounts.UserByEmail(ctx, *email)
	if err != nil {
		return err
	}
	_, secret, err := a.svc.Accounts.CreateToken(ctx, forum.Actor{UserID: u.ID, Name: u.Name, Admin: u.Admin, Via: "cli"}, *name)
	if err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, secret)
	return nil
}
