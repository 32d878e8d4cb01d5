// Command depeche reads French news dispatches, tells which themes they are about, lists the most similar
// past dispatches and retrains when its users label more. Run "depeche help" for the commands.
//
// Usage:
//
//	depeche classify [FILE…|-]   a score in [0,1] for every theme the model knows, and the predicted themes
//	depeche similar [FILE|-]     the k archived dispatches most similar to an article (cosine of TF-IDF)
//	depeche add FILE…            import .txt, .tsv, .csv or .jsonl files into the archive, in one transaction
//	depeche label ID LABEL…      label an archived dispatch
//	depeche train [FILE…]        train a model on labeled files or on the archive's labeled dispatches
//	depeche eval FILE…           precision, recall and F1 of the model on labeled files
//	depeche matrix [FILE…]       the pairwise similarity matrix, as CSV, JSON, PNG or SVG
//	depeche list | show ID | export   read the archive (or the built-in corpus)
//	depeche serve                the same over HTTP, with a web page
//	depeche info                 what the model and the archive hold
//
// With no set-up depeche uses its built-in model and its built-in corpus as the archive. --home DIR
// (default $DEPECHE_HOME, else the user data directory, e.g. ~/.local/share/depeche) holds the user's own
// model.depeche and archive.db, used instead when they exist; --model and --archive name other files.
//
// # What this package owns
//
// The flags, standard streams and files, the output formats (aligned tables on a terminal, tab-separated
// lines otherwise, JSON lines with --json) and the exit codes. The work itself is the other packages':
// dispatch reads the input, vectorize analyses it, classify and models score it, archive and search find
// similar dispatches, server answers HTTP. One constructor builds each command, with the streams
// injected, so that tests run whole command lines on buffers; no command calls os.Exit.
//
// # Exit status
//
// 0 on success, 1 on a runtime failure, 2 on bad usage or bad input. An error is one line on stderr that
// says what is wrong, where (file:line for input) and what to do; main maps errors to codes in one place.
package main
