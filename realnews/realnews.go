package realnews

import (
	"bufio"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// Themes are the labels the dev set is labeled with.
var Themes = []string{"terrorisme", "migration", "drogue", "parlement", "criminalite-organisee"}

//go:embed testdata/*.labels.tsv
var labelFiles embed.FS

// Article is one labeled real article.
type Article struct {
	Key    string   // "masakhanews-fra/train.tsv:17" or "seeds/000.txt"
	Topic  string   // the dataset's own coarse topic (politics, business…), or "seed"
	Text   string   // read from ../shared, never stored in the project
	Themes []string // the themes it is about, in Themes order; nil: none
	Note   string   // the labeler's note on a borderline call
}

// ErrNoShared is returned by Load when the shared folder or one of its files is absent.
var ErrNoShared = errors.New("realnews: ../shared is not there")

// Load reads the labeled MasakhaNEWS articles from the shared folder (the one holding datasets/ and
// seeds/), checking every article's hash against its label row: the set the measures are taken on.
func Load(shared string) ([]Article, error) {
	return loadMasakhane(filepath.Join(shared, "datasets", "masakhanews-fra", "train.tsv"))
}

// LoadSeeds reads the five seed dispatches with the readers' labels. They are not in Load's set: the
// project holds the seeds to its own first expectations (data.TestSeeds: every theme a seed's cooperation
// agenda names), while the readers, by the guide's rule that a list is a passing mention, gave 000 only
// parlement and 002 and 003 only terrorisme; scoring both would ask for a prediction and count it false.
func LoadSeeds(shared string) ([]Article, error) {
	return loadSeeds(filepath.Join(shared, "seeds"))
}

// sha12 is the row key's hash: the first 12 hex digits of the SHA-256 of the text field as stored.
func sha12(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])[:12]
}

func loadMasakhane(path string) ([]Article, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNoShared, err)
	}
	defer f.Close()
	texts := map[int][2]string{} // line → topic, text
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	line := 0
	for sc.Scan() {
		line++
		if line == 1 {
			continue
		}
		topic, text, ok := strings.Cut(sc.Text(), "\t")
		if !ok {
			return nil, fmt.Errorf("realnews: %s:%d: no tab", path, line)
		}
		texts[line] = [2]string{topic, text}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("realnews: %s: %v", path, err)
	}
	rows, err := readLabels("testdata/masakhanews-train.labels.tsv", 5)
	if err != nil {
		return nil, err
	}
	var out []Article
	for _, r := range rows {
		n, err := strconv.Atoi(r[0])
		if err != nil {
			return nil, fmt.Errorf("realnews: masakhanews labels: line %q", r[0])
		}
		t, ok := texts[n]
		if !ok {
			return nil, fmt.Errorf("realnews: %s has no line %d", path, n)
		}
		if sha12(t[1]) != r[1] {
			return nil, fmt.Errorf("realnews: %s:%d: the text's hash is not the labeled one (the file changed?)", path, n)
		}
		if t[0] != r[2] {
			return nil, fmt.Errorf("realnews: %s:%d: topic %q, labeled as %q", path, n, t[0], r[2])
		}
		themes, err := parseThemes(r[3])
		if err != nil {
			return nil, fmt.Errorf("realnews: masakhanews labels, line %d: %v", n, err)
		}
		out = append(out, Article{Key: "masakhanews-fra/train.tsv:" + r[0], Topic: t[0], Text: t[1], Themes: themes, Note: r[4]})
	}
	return out, nil
}

func loadSeeds(dir string) ([]Article, error) {
	rows, err := readLabels("testdata/seeds.labels.tsv", 3)
	if err != nil {
		return nil, err
	}
	var out []Article
	for _, r := range rows {
		b, err := os.ReadFile(filepath.Join(dir, r[0]))
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrNoShared, err)
		}
		themes, err := parseThemes(r[1])
		if err != nil {
			return nil, fmt.Errorf("realnews: seed %s: %v", r[0], err)
		}
		out = append(out, Article{Key: "seeds/" + r[0], Topic: "seed", Text: strings.TrimSpace(string(b)), Themes: themes, Note: r[2]})
	}
	return out, nil
}

// readLabels returns the rows of an embedded label file after its header, each padded to cols fields.
func readLabels(name string, cols int) ([][]string, error) {
	f, err := labelFiles.Open(name)
	if err != nil {
		return nil, fmt.Errorf("realnews: %v", err)
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		return nil, err
	}
	var rows [][]string
	for i, l := range strings.Split(strings.TrimRight(string(b), "\n"), "\n") {
		if i == 0 {
			continue
		}
		fs := strings.Split(l, "\t")
		if len(fs) > cols {
			return nil, fmt.Errorf("realnews: %s:%d: %d fields, want at most %d", name, i+1, len(fs), cols)
		}
		for len(fs) < cols {
			fs = append(fs, "")
		}
		rows = append(rows, fs)
	}
	return rows, nil
}

func parseThemes(s string) ([]string, error) {
	var out []string
	for _, t := range strings.Split(s, ",") {
		if t = strings.TrimSpace(t); t == "" {
			continue
		}
		if !slices.Contains(Themes, t) {
			return nil, fmt.Errorf("unknown theme %q", t)
		}
		out = append(out, t)
	}
	slices.SortFunc(out, func(a, b string) int { return slices.Index(Themes, a) - slices.Index(Themes, b) })
	return slices.Compact(out), nil
}
