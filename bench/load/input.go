package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

func queryTexts(src string, n int) ([]string, error) {
	f, err := os.Open(src)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	var texts []string
	line := 0
	for sc.Scan() && len(texts) < n {
		line++
		if line == 1 || line%97 != 0 {
			continue
		}
		cols := strings.Split(sc.Text(), "\t")
		texts = append(texts, cols[len(cols)-1])
	}
	if len(texts) == 0 {
		return nil, fmt.Errorf("%s: no query text", src)
	}
	return texts, sc.Err()
}

// split writes the -add file in k parts under dir and returns them with the ids of its rows (its first
// column must be id).
func split(add string, k int, dir string) ([]string, []string, error) {
	b, err := os.ReadFile(add)
	if err != nil {
		return nil, nil, err
	}
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	header, rows := lines[0], lines[1:]
	if !strings.HasPrefix(header, "id\t") {
		return nil, nil, fmt.Errorf("%s: the first column must be id", add)
	}
	var parts, ids []string
	for i := range k {
		part := rows[i*len(rows)/k : (i+1)*len(rows)/k]
		p := filepath.Join(dir, fmt.Sprintf("add-%d.tsv", i))
		if err := os.WriteFile(p, []byte(header+"\n"+strings.Join(part, "\n")+"\n"), 0o644); err != nil {
			return nil, nil, err
		}
		parts = append(parts, p)
		for _, r := range part {
			ids = append(ids, r[:strings.IndexByte(r, '\t')])
		}
	}
	return parts, ids, nil
}

// copyFile copies an archive with its -wal, its index file (.idx) and the index's segment files, when
// they exist: a copy without its index would time serve's writing of it, not its start-up. The index
// names its segments after the archive's file name, which dst must therefore share.
func copyFile(src, dst string) error {
	if filepath.Base(src) != filepath.Base(dst) {
		return fmt.Errorf("copy %s as %s: the copy must keep the archive's file name (its index names its segments after it)", src, dst)
	}
	suffixes := []string{"", "-wal", ".idx"}
	segs, _ := filepath.Glob(src + ".idx.seg-*")
	for _, s := range segs {
		suffixes = append(suffixes, strings.TrimPrefix(s, src))
	}
	for _, suffix := range suffixes {
		in, err := os.Open(src + suffix)
		if err != nil {
			if suffix != "" && errors.Is(err, os.ErrNotExist) {
				continue
			}
			return err
		}
		out, err := os.Create(dst + suffix)
		if err != nil {
			in.Close()
			return err
		}
		_, err = io.Copy(out, in)
		in.Close()
		if cerr := out.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
	}
	return nil
}
