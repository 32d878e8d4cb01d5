#!/usr/bin/python3
"""The scikit-learn pipeline a user would keep instead of depeche's built-in model, for the whole-process
classify timing of bench/run.py.

  sk_pipeline.py fit DATA_DIR OUT.joblib   # word 1-2-gram TF-IDF + one-vs-rest LinearSVC on data/*.tsv
  sk_pipeline.py predict OUT.joblib < article.txt
"""
import glob
import sys


def main():
    if sys.argv[1] == "fit":
        import joblib
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.multiclass import OneVsRestClassifier
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import MultiLabelBinarizer
        from sklearn.svm import LinearSVC

        texts, labels = [], []
        for path in sorted(glob.glob(sys.argv[2] + "/*.tsv")):
            with open(path, encoding="utf-8") as f:
                head = f.readline().rstrip("\n").split("\t")
                ti, li = head.index("text"), head.index("labels")
                for line in f:
                    cols = line.rstrip("\n").split("\t")
                    texts.append(cols[ti])
                    labels.append([l for l in cols[li].split(",") if l])
        mlb = MultiLabelBinarizer()
        y = mlb.fit_transform(labels)
        pipe = make_pipeline(TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2), OneVsRestClassifier(LinearSVC()))
        pipe.fit(texts, y)
        joblib.dump((pipe, mlb), sys.argv[3])
    else:
        import joblib

        pipe, mlb = joblib.load(sys.argv[2])
        text = sys.stdin.read()
        print(mlb.inverse_transform(pipe.predict([text]))[0])


if __name__ == "__main__":
    main()
