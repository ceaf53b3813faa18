package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"time"
)

// OpenAPI builds the OpenAPI 3.1 document from the registered operations;
// schemas come from the Go types of request and response bodies, under
// the names schemaTable gives them, with the required fields it lists for
// the types clients send. It fails if a body has a struct type the table
// does not name, or if a type clients send is not declared as input.
func (h *Handler) OpenAPI() (map[string]any, error) {
	index, err := schemaIndex(schemaTable)
	if err != nil {
		return nil, err
	}
	g := &schemaGen{defs: map[string]any{}, index: index, unnamed: map[reflect.Type]bool{}}
	sent := map[reflect.Type]bool{}
	errRef := g.ref(reflect.TypeOf(ErrorBody{}))
	paths := map[string]any{}
	for _, op := range h.ops {
		item, _ := paths[op.Path].(map[string]any)
		if item == nil {
			item = map[string]any{}
			paths[op.Path] = item
		}
		o := map[string]any{"operationId": op.ID, "summary": op.Summary, "tags": []string{op.Tag}}
		var params []any
		for _, name := range pathParams(op.Path) {
			params = append(params, map[string]any{"name": name, "in": "path", "required": true, "schema": map[string]any{"type": "string"}})
		}
		qnames := make([]string, 0, len(op.Query))
		for q := range op.Query {
			qnames = append(qnames, q)
		}
		sort.Strings(qnames)
		for _, q := range qnames {
			params = append(params, map[string]any{"name": q, "in": "query", "required": false, "description": op.Query[q], "schema": map[string]any{"type": "string"}})
		}
		if len(params) > 0 {
			o["parameters"] = params
		}
		if op.Request != nil {
			mt := op.Consumes
			if mt == "" {
				mt = "application/json"
			}
			o["requestBody"] = map[string]any{"required": true, "content": map[string]any{
				mt: map[string]any{"schema": g.ref(reflect.TypeOf(op.Request))}}}
			g.checkSent(reflect.TypeOf(op.Request), op.ID, sent, false)
		}
		responses := map[string]any{}
		ok := map[string]any{"description": http.StatusText(op.Status)}
		if op.Response != nil {
			mt := op.Produces
			if mt == "" {
				mt = "application/json"
			}
			var schema any = map[string]any{"type": "string"}
			if mt == "application/json" {
				schema = g.ref(reflect.TypeOf(op.Response))
			}
			ok["content"] = map[string]any{mt: map[string]any{"schema": schema}}
		}
		responses[itoa(op.Status)] = ok
		errResp := map[string]any{"description": "An error, with its code, the field at fault and the reason",
			"content": map[string]any{"application/json": map[string]any{"schema": errRef}}}
		responses["default"] = errResp
		o["responses"] = responses
		if op.Auth {
			o["security"] = []any{map[string]any{"bearer": []string{}}}
		}
		item[strings.ToLower(op.Method)] = o
	}
	if len(g.unnamed) > 0 {
		var ts []string
		for t := range g.unnamed {
			ts = append(ts, t.String())
		}
		sort.Strings(ts)
		g.problems = append(g.problems, "struct types without a schema name, give them one in schemaTable (schemas.go): "+strings.Join(ts, ", "))
	}
	if len(g.problems) > 0 {
		return nil, fmt.Errorf("openapi: %s", strings.Join(g.problems, "; "))
	}
	return map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{"title": "Plenary API", "version": "1",
			"description": "The JSON face of Plenary. Every change is a command checked against the forum's rules of participation and recorded on the forum's ledger. Authenticate with an API token: Authorization: Bearer TOKEN."},
		"servers": []any{map[string]any{"url": h.opt.BaseURL + "/api/v1"}},
		"paths":   paths,
		"components": map[string]any{
			"schemas":         g.defs,
			"securitySchemes": map[string]any{"bearer": map[string]any{"type": "http", "scheme": "bearer"}},
		},
	}, nil
}

var paramRE = regexp.MustCompile(`\{([a-z_]+)\}`)

func pathParams(p string) []string {
	var out []string
	for _, m := range paramRE.FindAllStringSubmatch(p, -1) {
		out = append(out, m[1])
	}
	return out
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

type schemaGen struct {
	defs     map[string]any
	index    map[reflect.Type]schemaEntry
	unnamed  map[reflect.Type]bool // struct types missing from index
	problems []string
}

var timeType = reflect.TypeOf(time.Time{})
var rawType = reflect.TypeOf(json.RawMessage{})
var binaryType = reflect.TypeOf(Binary(""))

// Binary is a file part of a multipart/form-data request body; the
// OpenAPI document describes it as binary content.
type Binary string

// ref returns a schema for t, defining named struct types once under
// components/schemas with the name schemaTable gives them.
func (g *schemaGen) ref(t reflect.Type) map[string]any {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() == reflect.Struct && t != timeType && t.Name() != "" {
		e, ok := g.index[t]
		name := e.name
		if !ok {
			// Go on into its fields (once), to report every unnamed type.
			if !g.unnamed[t] {
				g.unnamed[t] = true
				g.schema(t)
			}
			return map[string]any{}
		}
		if _, ok := g.defs[name]; !ok {
			g.defs[name] = map[string]any{} // placeholder for recursion
			g.defs[name] = g.schema(t)
		}
		return map[string]any{"$ref": "#/components/schemas/" + name}
	}
	return g.schema(t)
}

func (g *schemaGen) schema(t reflect.Type) map[string]any {
	if t == rawType {
		return map[string]any{"type": "object"}
	}
	if t == binaryType {
		return map[string]any{"type": "string", "contentMediaType": "application/octet-stream"}
	}
	if t == timeType {
		return map[string]any{"type": "string", "format": "date-time"}
	}
	switch t.Kind() {
	case reflect.Pointer:
		s := g.ref(t.Elem())
		return map[string]any{"anyOf": []any{s, map[string]any{"type": "null"}}}
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return map[string]any{"type": "integer"}
	case reflect.Float32, reflect.Float64:
		return map[string]any{"type": "number"}
	case reflect.Slice, reflect.Array:
		return map[string]any{"type": []string{"array", "null"}, "items": g.ref(t.Elem())}
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": g.ref(t.Elem())}
	case reflect.Interface:
		return map[string]any{}
	case reflect.Struct:
		props := map[string]any{}
		var required []string
		g.fields(t, props, &required)
		if _, ok := props["binding"]; !ok && t.Implements(neverBinding) {
			// A straw poll's result: its MarshalJSON writes "binding": false, always.
			props["binding"] = map[string]any{"type": "boolean", "const": false}
			required = append(required, "binding")
		}
		if e, ok := g.index[t]; ok && e.input {
			required = append([]string(nil), e.required...)
			for _, f := range required {
				if _, ok := props[f]; !ok {
					g.problems = append(g.problems, fmt.Sprintf("%s (%s) requires %q, which is not one of its fields", e.name, t, f))
				}
			}
		}
		s := map[string]any{"type": "object", "properties": props, "additionalProperties": false}
		if len(required) > 0 {
			sort.Strings(required)
			s["required"] = required
		}
		return s
	}
	return map[string]any{}
}

// neverBinding is a result type that has no binding field but says, by
// its method and in its JSON, that it binds nobody (decide.StrawResult).
var neverBinding = reflect.TypeFor[interface{ Binding() bool }]()

func (g *schemaGen) fields(t reflect.Type, props map[string]any, required *[]string) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				g.fields(ft, props, required)
				continue
			}
		}
		if name == "" {
			name = f.Name
		}
		props[name] = g.ref(f.Type)
		if !strings.Contains(opts, "omitempty") && !strings.Contains(opts, "omitzero") && f.Type.Kind() != reflect.Pointer {
			*required = append(*required, name)
		}
	}
}

// checkSent makes sure that every named struct type in a request body
// (of operation op) is declared with input in schemaTable, so that its
// schema requires what the server requires rather than what it would
// write. Embedded structs are part of the type that embeds them.
func (g *schemaGen) checkSent(t reflect.Type, op string, seen map[reflect.Type]bool, embedded bool) {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Array || t.Kind() == reflect.Map {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || t == timeType || seen[t] {
		return
	}
	if !embedded {
		seen[t] = true
		if e, ok := g.index[t]; ok && !e.input {
			g.problems = append(g.problems, fmt.Sprintf("%s (%s) is sent in the request body of %s: declare it with input and the fields the server requires", e.name, t, op))
		}
	}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.IsExported() && f.Tag.Get("json") != "-" {
			g.checkSent(f.Type, op, seen, f.Anonymous && !strings.Contains(f.Tag.Get("json"), ","))
		}
	}
}
