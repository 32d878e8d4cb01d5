// Package cputime reads the process's CPU time, for benchmarks that report what an operation costs a busy
// machine (its CPU) beside what it takes alone (its wall time): a search split over several cores may
// take less of the one and more of the other.
package cputime
