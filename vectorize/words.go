package vectorize

// The word lists below change the features a model is trained on, so every list takes part in
// Analyzer.Fingerprint: a model trained with one list refuses to run with another.

// stopWords is the Snowball French stop list (snowballstem.org, algorithms/french/stop.txt, BSD licence),
// written out here with the forms its comments list as optional (ceci, cela, cet, cette, ici, ils, leurs,
// quel…, sans, soi), plus words that it lacks and that carry no theme in news text: "a" (has; research memo
// §4.6), "ni", "donc", "car" (gillesbastin/french_stopwords), and press-agency fillers chosen by us (selon,
// notamment, également…). Inversion clitics and the elided articles are here too so that a bare "l" or "qu"
// never becomes a term.
var stopWords = []string{
	// Snowball French
	"au", "aux", "avec", "ce", "ces", "dans", "de", "des", "du", "elle", "en", "et", "eux", "il", "je", "la",
	"le", "leur", "lui", "ma", "mais", "me", "même", "mes", "moi", "mon", "ne", "nos", "notre", "nous", "on",
	"ou", "par", "pas", "pour", "qu", "que", "qui", "sa", "se", "ses", "son", "sur", "ta", "te", "tes", "toi",
	"ton", "tu", "un", "une", "vos", "votre", "vous", "c", "d", "j", "l", "à", "m", "n", "s", "t", "y",
	"été", "étée", "étées", "étés", "étant", "étante", "étants", "étantes", "suis", "es", "est", "sommes",
	"êtes", "sont", "serai", "seras", "sera", "serons", "serez", "seront", "serais", "serait", "serions",
	"seriez", "seraient", "étais", "était", "étions", "étiez", "étaient", "fus", "fut", "fûmes", "fûtes",
	"furent", "sois", "soit", "soyons", "soyez", "soient", "fusse", "fusses", "fût", "fussions", "fussiez",
	"fussent", "ayant", "ayante", "ayantes", "ayants", "eu", "eue", "eues", "eus", "ai", "as", "avons",
	"avez", "ont", "aurai", "auras", "aura", "aurons", "aurez", "auront", "aurais", "aurait", "aurions",
	"auriez", "auraient", "avais", "avait", "avions", "aviez", "avaient", "eut", "eûmes", "eûtes", "eurent",
	"aie", "aies", "ait", "ayons", "ayez", "aient", "eusse", "eusses", "eût", "eussions", "eussiez",
	"eussent",
	// Snowball's optional forms
	"ceci", "cela", "celà", "cet", "cette", "ici", "ils", "les", "leurs", "quel", "quels", "quelle",
	"quelles", "sans", "soi",
	// gaps of the Snowball list
	"a", "ni", "donc", "car", "ça", "où", "si", "elles", "lequel", "laquelle", "lesquels", "lesquelles",
	"auquel", "auxquels", "auxquelles", "duquel", "desquels", "desquelles", "dont", "quoi", "celui", "celle",
	"ceux", "celles", "ci", "là", "jusqu", "lorsqu", "puisqu", "quoiqu", "avoir", "être", "dès",
	// news fillers (ours)
	"selon", "ainsi", "également", "lors", "après", "avant", "plus", "moins", "déjà", "notamment", "aussi",
	"très", "tout", "tous", "toute", "toutes", "entre", "sous", "vers", "chez", "depuis", "comme", "alors",
	"encore", "afin", "puis", "peu", "bien", "non", "oui", "etc", "cependant", "toutefois", "outre",
	"part", "mme", "mm", "mlle", "dr", "m.", "hier", "aujourd'hui", "demain", "lundi", "mardi", "mercredi",
	"jeudi", "vendredi", "samedi", "dimanche",
}

// articles are the elided forms that the elision filter removes with their apostrophe (Lucene's
// DEFAULT_ARTICLES, as bleve's articles_fr.go lists them). A prefix not in this set keeps its word whole, so
// "aujourd'hui", "presqu'île" and "quelqu'un" survive.
var articles = []string{"l", "m", "t", "qu", "n", "s", "j", "d", "c", "jusqu", "quoiqu", "lorsqu", "puisqu"}

// clitics are the pronouns of verb inversions ("a-t-il", "lit-on", "s'est-elle"): after a hyphen they are
// dropped, as is the euphonic "t".
var clitics = []string{"t", "il", "ils", "elle", "elles", "on", "je", "tu", "nous", "vous", "ce", "le", "la", "les", "lui", "leur", "moi", "toi", "y", "en"}

// compounds are lexicalised hyphenated words kept whole, so that "unis", "parole" or "papiers" do not become
// terms of their own. The joined form is not stemmed.
var compounds = []string{
	"états-unis", "etats-unis", "royaume-uni", "moyen-orient", "proche-orient", "porte-parole", "porte-paroles",
	"garde-côtes", "garde-côte", "sans-papiers", "nations-unies", "arabie-saoudite", "pays-bas", "sud-est",
	"nord-est", "sud-ouest", "nord-ouest", "après-midi", "grand-père", "chef-lieu", "chefs-lieux",
	"cessez-le-feu", "tête-à-tête", "vis-à-vis", "au-delà", "c'est-à-dire", "peut-être", "demi-finale",
	"quart-de-finale", "hors-la-loi", "go-fast", "narco-trafic", "narco-trafiquant", "narco-trafiquants",
	"narco-terrorisme", "cyber-attaque", "cyber-attaques", "ex-président", "sahélo-saharien",
	"sahélo-saharienne", "sahélo-sahariens", "sahélo-sahariennes", "tanger-med",

	"souss-massa", "drâa-tafilalet",
}

// aliases map demonyms and prefix forms to the name of their country or region, before stemming: no stemmer
// joins "marocain" and "Maroc", and Snowball maps "français" and "France" to "franc", the currency (research
// memo §4.7–4.8). The map is keyed by lower-case, elision-free words.
var aliases = map[string]string{
	"maroc": "maroc", "marocain": "maroc", "marocaine": "maroc", "marocains": "maroc", "marocaines": "maroc",
	"maroco": "maroc", "marocanité": "maroc",
	"france": "france", "français": "france", "française": "france", "françaises": "france", "franco": "france",
	"espagne": "espagne", "espagnol": "espagne", "espagnole": "espagne", "espagnols": "espagne",
	"espagnoles": "espagne", "hispano": "espagne",
	"algérie": "algérie", "algérien": "algérie", "algérienne": "algérie", "algériens": "algérie",
	"algériennes": "algérie", "algéro": "algérie",
	"tunisie": "tunisie", "tunisien": "tunisie", "tunisienne": "tunisie", "tunisiens": "tunisie", "tunisiennes": "tunisie",
	"mali": "mali", "malien": "mali", "malienne": "mali", "maliens": "mali", "maliennes": "mali",
	"niger": "niger", "nigérien": "niger", "nigérienne": "niger", "nigériens": "niger", "nigériennes": "niger",
	"libye": "libye", "libyen": "libye", "libyenne": "libye", "libyens": "libye", "libyennes": "libye",
	"mauritanie": "mauritanie", "mauritanien": "mauritanie", "mauritanienne": "mauritanie", "mauritaniens": "mauritanie",
	"sénégal": "sénégal", "sénégalais": "sénégal", "sénégalaise": "sénégal", "sénégalaises": "sénégal",
	"belgique": "belgique", "belge": "belgique", "belges": "belgique",
	"italie": "italie", "italien": "italie", "italienne": "italie", "italiens": "italie", "italiennes": "italie",
	"allemagne": "allemagne", "allemand": "allemagne", "allemande": "allemagne", "allemands": "allemagne", "allemandes": "allemagne",
	"sahel": "sahel", "sahélien": "sahel", "sahélienne": "sahel", "sahéliens": "sahel", "sahéliennes": "sahel",
	"sahélo":   "sahel",
	"colombie": "colombie", "colombien": "colombie", "colombienne": "colombie", "colombiens": "colombie",
	"brésil": "brésil", "brésilien": "brésil", "brésilienne": "brésil", "brésiliens": "brésil",
}

// protected words are lower-cased but not stemmed. Snowball merges "parlement" with "parler" and "parlé"
// (all "parl"), "Tanger" with "tangent" ("tang"), and cuts proper nouns of places into odd stems
// ("Salé" → "sal", "Kénitra" → "kénitr"); the themes depend on these words staying apart.
var protected = []string{
	"parlement", "parlements", "sénat", "sénateur", "sénateurs", "sénatrice", "sénatrices", "saisie", "saisies",
	"tanger", "nador", "rabat", "salé", "kénitra", "casablanca", "oujda", "ceuta", "sebta", "melilla",
	"mellilia", "tétouan", "marrakech", "fès", "meknès", "agadir", "laâyoune", "dakhla", "essaouira",
	"al hoceïma", "hoceïma", "larache", "algésiras", "marseille", "paris", "madrid", "bruxelles", "canaries",
	"gibraltar", "lampedusa", "calais", "europol", "interpol", "frontex", "dgsn", "dgst", "bcij", "dgsi",
	"dged", "onudc", "ofast", "otan", "onu", "ue",
}
