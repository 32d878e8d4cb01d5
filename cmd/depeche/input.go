package main

import (
	"strings"

	"github.com/depeche/depeche/dispatch"
)

// readInputs returns the dispatches of the command's arguments: none or "-" is one article on stdin.
func readInputs(s *streams, g *globalOptions, args []string) ([]dispatch.Dispatch, error) {
	if len(args) == 0 || len(args) == 1 && args[0] == "-" {
		d, err := dispatch.ReadText(s.in, "stdin")
		if err != nil {
			return nil, err
		}
		return []dispatch.Dispatch{d}, nil
	}
	for _, a := range args {
		if a == "-" {
			return nil, usagef(`"-" (stdin) cannot be mixed with files`)
		}
	}
	ds, err := dispatch.LoadAllWith(args, g.readOptions())
	if err != nil {
		return nil, err
	}
	if len(ds) == 0 {
		return nil, usagef("%s: no dispatch to read (only a header?)", strings.Join(args, ", "))
	}
	return ds, nil
}
