package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/pprof"
	"runtime/trace"
	"strings"

	"github.com/depeche/depeche"
	"github.com/depeche/depeche/dispatch"
	"github.com/spf13/cobra"
	"golang.org/x/term"
)

// Exit codes (DESIGN.md): 0 success, 1 runtime failure, 2 bad usage or bad input.
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	streams := &streams{
		in:     os.Stdin,
		out:    os.Stdout,
		errOut: os.Stderr,
		outTTY: term.IsTerminal(int(os.Stdout.Fd())),
		errTTY: term.IsTerminal(int(os.Stderr.Fd())),
	}
	os.Exit(profiled(func() int { return run(ctx, os.Args[1:], streams) }))
}

// profiled runs f, writing a CPU profile to $DEPECHE_CPUPROFILE and an execution trace to $DEPECHE_TRACE
// when they are set (for performance work on whole commands, beside the Go benchmarks).
func profiled(f func() int) int {
	if p := os.Getenv("DEPECHE_TRACE"); p != "" {
		// an execution trace shows what a profile cannot: where requests wait (locks, I/O, the scheduler)
		if out, err := os.Create(p); err != nil {
			fmt.Fprintf(os.Stderr, "depeche: DEPECHE_TRACE: %v\n", err)
		} else if err := trace.Start(out); err != nil {
			fmt.Fprintf(os.Stderr, "depeche: DEPECHE_TRACE: %v\n", err)
			out.Close()
		} else {
			defer out.Close()
			defer trace.Stop()
		}
	}
	p := os.Getenv("DEPECHE_CPUPROFILE")
	if p == "" {
		return f()
	}
	out, err := os.Create(p)
	if err != nil {
		fmt.Fprintf(os.Stderr, "depeche: DEPECHE_CPUPROFILE: %v\n", err)
		return f()
	}
	defer out.Close()
	pprof.StartCPUProfile(out)
	defer pprof.StopCPUProfile()
	return f()
}

// streams are the process's standard streams, injected so that tests use buffers.
type streams struct {
	in     io.Reader
	out    io.Writer
	errOut io.Writer
	outTTY bool // stdout is a terminal: human table output
	errTTY bool // stderr is a terminal: progress bars
}

// run executes one command line and returns the exit code. It prints the error, if any, as one line.
func run(ctx context.Context, args []string, s *streams) int {
	root := newRootCmd(s)
	root.SetArgs(args)
	root.SetIn(s.in)
	root.SetOut(s.out)
	root.SetErr(s.errOut)
	started := markRuns(root)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	if e := depeche.ExplainArchiveError(err); e != err {
		err = &usageError{e} // a damaged archive found in a query, after it opened
	}
	if !*started {
		// cobra refused the command line before any command ran (an unknown command, a wrong number of
		// arguments): bad usage, whatever its message says
		err = &usageError{err}
	}
	fmt.Fprintf(s.errOut, "depeche: %s\n", oneLine(err.Error()))
	return exitCode(err)
}

// markRuns wraps the RunE of cmd and of every command under it so that the returned flag tells whether a
// command started running: an error before that is cobra's parsing of the command line.
func markRuns(cmd *cobra.Command) *bool {
	started := new(bool)
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if run := c.RunE; run != nil {
			c.RunE = func(c *cobra.Command, args []string) error {
				*started = true
				return run(c, args)
			}
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(cmd)
	return started
}

// usageError marks bad usage or bad input: exit code 2.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

func usagef(format string, a ...any) error { return &usageError{fmt.Errorf(format, a...)} }

// exitCode maps an error to the exit code, in this one place.
func exitCode(err error) int {
	var ue *usageError
	var ie *dispatch.InputError
	var fe *depeche.ModelFileError
	var ve *depeche.ModelVersionError
	var fpe *depeche.FingerprintError
	switch {
	case errors.As(err, &ue), errors.As(err, &ie), errors.As(err, &fe), errors.As(err, &ve), errors.As(err, &fpe):
		return exitUsage
	case errors.Is(err, context.Canceled):
		return 130
	}
	return exitFailure
}

func oneLine(s string) string {
	s = strings.TrimSpace(s)
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", " ")), " ")
}
