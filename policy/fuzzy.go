package policy

// The fuzzy matcher reads near misses of known words: a slip of one key, a
// letter left out or doubled, two letters swapped, a digit typed for the
// letter it looks like (k0nvoy). Costs are in half edits, so a slip to a
// neighbouring key or a look-alike digit counts half.

const maxFuzzyLen = 20 // longer words are never corrected

// keyboard rows of a QWERTY keyboard, for neighbouring keys.
var keyboard = [...]string{"1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm"}

// near[a][b] reports whether typing b for a is a small slip.
var near [128][128]bool

func init() {
	pos := map[byte][2]int{}
	for r, row := range keyboard {
		for c := 0; c < len(row); c++ {
			pos[row[c]] = [2]int{r, c}
		}
	}
	for a, pa := range pos {
		for b, pb := range pos {
			if a != b && abs(pa[0]-pb[0]) <= 1 && abs(pa[1]-pb[1]) <= 1 && a >= 'a' && b >= 'a' {
				near[a][b] = true
			}
		}
	}
	for _, p := range []string{"0o", "1l", "1i", "3e", "4a", "5s", "7t", "8b", "9g"} {
		near[p[0]][p[1]], near[p[1]][p[0]] = true, true
	}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// fuzzyBudget is how many half edits a word of n letters may be away from a
// target: none below 4 letters, a half edit at 4, one edit at 5-6, two from 7.
func fuzzyBudget(n int) int {
	switch {
	case n < 4:
		return 0
	case n == 4:
		return 1
	case n <= 6:
		return 2
	}
	return 4
}

// correct returns the target closest to w within budget, if one is.
func (lx *lexicon) correct(w string) (fuzzyTarget, bool) {
	if len(w) < 4 || len(w) > maxFuzzyLen || !isASCII(w) {
		return fuzzyTarget{}, false
	}
	best, bestCost := fuzzyTarget{}, 1<<30
	for _, t := range lx.targets {
		d := len(t.word) - len(w)
		if d > 2 || d < -2 || t.word == w {
			continue
		}
		budget := fuzzyBudget(min(len(t.word), len(w)))
		if budget == 0 {
			continue
		}
		if c := slipDistance(w, t.word, budget); c <= budget && c < bestCost {
			best, bestCost = t, c
		}
	}
	return best, bestCost < 1<<30
}

// slipDistance is the optimal-string-alignment distance of a and b (ASCII),
// in half edits: insertions, deletions, transpositions and substitutions
// cost 2, a substitution by a neighbouring key or look-alike digit costs 1.
// It stops early, returning more than limit, once every path exceeds limit.
func slipDistance(a, b string, limit int) int {
	var rows [3][maxFuzzyLen + 3]int
	n := len(b)
	prev2, prev, cur := &rows[0], &rows[1], &rows[2]
	for j := 0; j <= n; j++ {
		prev[j] = 2 * j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = 2 * i
		rowMin := cur[0]
		for j := 1; j <= n; j++ {
			ca, cb := a[i-1], b[j-1]
			sub := 0
			if ca != cb {
				sub = 2
				if ca < 128 && cb < 128 && near[cb][ca] {
					sub = 1
				}
			}
			v := min(prev[j]+2, cur[j-1]+2, prev[j-1]+sub)
			if i > 1 && j > 1 && ca == b[j-2] && a[i-2] == cb {
				v = min(v, prev2[j-2]+2)
			}
			cur[j] = v
			rowMin = min(rowMin, v)
		}
		if rowMin > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[n]
}

// DidYouMean returns the known product or topic closest to word, if one is
// within a small edit distance.
func DidYouMean(m *Model, word string) (string, bool) {
	if len(word) > maxFuzzyLen {
		return "", false
	}
	best, bestD := "", 3
	for _, name := range knownNames(m) {
		d := editDistance(word, name)
		if len(name) <= 4 {
			d++ // short names match too easily
		}
		if d < bestD {
			best, bestD = name, d
		}
	}
	return best, best != ""
}

// editDistance is the Levenshtein distance of two short strings.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
