package vigie;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.GZIPInputStream;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.fr.FrenchAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.queryparser.classic.ParseException;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TopScoreDocCollectorManager;
import org.apache.lucene.search.uhighlight.UnifiedHighlighter;
import org.apache.lucene.search.uhighlight.WholeBreakIterator;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Version;

/**
 * The Lucene peer of vigie, for {@code benches/compare.sh}.
 *
 * <p>What a developer would write with Lucene alone: one Lucene document per paragraph, the
 * stock {@link FrenchAnalyzer} (the analysis behind Elasticsearch's {@code french} analyzer:
 * standard tokenizer, elision, lower case, French stop words, light French stemmer, which also
 * folds accents), the classic {@link QueryParser} with AND as default operator, and the {@link
 * UnifiedHighlighter} over the whole stored paragraph. Fields mirror {@code
 * examples/plain_tantivy.rs}: {@code doc_id} (stored, untokenized), {@code paragraph} (stored,
 * 1-based), {@code title} and {@code body} (analysed, positions, stored).
 *
 * <pre>
 * java -jar target/lucene-bench.jar index [--memory MIB] INDEX_DIR FILES...
 * java -jar target/lucene-bench.jar bench INDEX_DIR QUERYFILE [--runs N] [--warmup N]
 *     [--warmup-seconds S] [--limit N] [--json]
 * java -jar target/lucene-bench.jar search INDEX_DIR QUERY...
 * </pre>
 *
 * <p>{@code bench} prints the JSON of vigie's {@code BenchReport} ({@code src/bench.rs}): per
 * query and per kind (samples of a kind pooled) nearest-rank percentiles in microseconds of
 * "search" (parse + top-k by BM25 + exact count, in one pass), "fetch" (stored fields and
 * highlights of the hits) and "total" (the whole call).
 */
public final class LuceneBench {
  private LuceneBench() {}

  /** Paragraph documents handed from the reading thread to the indexing threads at once. */
  private static final int BATCH = 256;

  /** Marks the end of the corpus in the indexing queue. */
  private static final List<Document> END = List.of();

  // ------------------------------------------------------------------ indexing

  /**
   * Indexes the paragraphs of JSON Lines {@code files} (gzip when the name ends in .gz) into a
   * new index at {@code dir}. The main thread reads and parses the corpus; one indexing thread
   * per core adds the documents (Lucene indexes on the caller's thread), as Tantivy's writer does
   * with its threads. RAM buffer {@code memoryMib} (vigie's writer budget); default merge policy
   * and scheduler; a commit, then close, which waits for running merges (no force-merge, as the
   * Tantivy peers do not merge down either).
   */
  static void index(Path dir, List<Path> files, double memoryMib) throws Exception {
    long start = System.nanoTime();
    IndexWriterConfig config = new IndexWriterConfig(new FrenchAnalyzer());
    config.setOpenMode(IndexWriterConfig.OpenMode.CREATE);
    config.setRAMBufferSizeMB(memoryMib);
    int threads = Runtime.getRuntime().availableProcessors();
    long[] counts = new long[3]; // statements, paragraphs, bytes of paragraph text
    try (FSDirectory directory = FSDirectory.open(dir);
        IndexWriter writer = new IndexWriter(directory, config)) {
      BlockingQueue<List<Document>> queue = new ArrayBlockingQueue<>(threads * 4);
      AtomicReference<Throwable> failure = new AtomicReference<>();
      List<Thread> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        Thread worker =
            new Thread(
                () -> {
                  try {
                    for (List<Document> batch = queue.take(); batch != END; batch = queue.take()) {
                      for (Document d : batch) {
                        writer.addDocument(d);
                      }
                    }
                  } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                    queue.clear();
                  }
                },
                "indexer-" + t);
        worker.setDaemon(true); // a failure in the reading thread must not hang the JVM
        worker.start();
        workers.add(worker);
      }
      List<Document> batch = new ArrayList<>(BATCH);
      JsonFactory json = new JsonFactory();
      for (Path file : files) {
        try (BufferedReader in = open(file);
            JsonParser p = json.createParser(in)) {
          // The file is a sequence of root-level objects, one a line.
          while (p.nextToken() == JsonToken.START_OBJECT) {
            String id = "";
            String title = "";
            List<String> paragraphs = new ArrayList<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              String name = p.currentName();
              JsonToken value = p.nextToken();
              switch (name) {
                case "id" -> id = p.getValueAsString("");
                case "title" -> title = p.getValueAsString("");
                case "paragraphs" -> {
                  if (value == JsonToken.START_ARRAY) {
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                      if (p.currentToken() == JsonToken.VALUE_STRING) {
                        paragraphs.add(p.getText());
                      } else {
                        p.skipChildren();
                      }
                    }
                  }
                }
                default -> p.skipChildren();
              }
            }
            for (int i = 0; i < paragraphs.size(); i++) {
              String text = paragraphs.get(i);
              Document d = new Document();
              d.add(new StringField("doc_id", id, Field.Store.YES));
              d.add(new StoredField("paragraph", i + 1));
              d.add(new TextField("title", title, Field.Store.YES));
              d.add(new TextField("body", text, Field.Store.YES));
              batch.add(d);
              counts[2] += text.getBytes(StandardCharsets.UTF_8).length;
              if (batch.size() == BATCH) {
                put(queue, batch, failure);
                batch = new ArrayList<>(BATCH);
              }
            }
            counts[0]++;
            counts[1] += paragraphs.size();
          }
        }
      }
      if (!batch.isEmpty()) {
        put(queue, batch, failure);
      }
      for (int t = 0; t < threads; t++) {
        put(queue, END, failure);
      }
      for (Thread worker : workers) {
        worker.join();
      }
      if (failure.get() != null) {
        throw new IOException("indexing failed", failure.get());
      }
      writer.commit();
    } // close() waits for the merges under way
    double secs = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        Locale.ROOT,
        "indexed %d statements, %d paragraphs (%.1f MB of text) in %.1f s (%.0f paragraphs/s,"
            + " %.1f MB/s) with Lucene %s%n",
        counts[0],
        counts[1],
        counts[2] / 1e6,
        secs,
        counts[1] / secs,
        counts[2] / 1e6 / secs,
        Version.LATEST);
  }

  private static void put(
      BlockingQueue<List<Document>> queue, List<Document> batch, AtomicReference<Throwable> failure)
      throws Exception {
    if (failure.get() != null) {
      throw new IOException("indexing failed", failure.get());
    }
    queue.put(batch);
  }

  private static BufferedReader open(Path file) throws IOException {
    InputStream in = Files.newInputStream(file);
    if (file.getFileName().toString().endsWith(".gz")) {
      in = new GZIPInputStream(in, 1 << 16);
    }
    return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
  }

  // ------------------------------------------------------------------ queries

  /**
   * Rewrites a vigie query for the classic {@link QueryParser}, as {@code translate} in {@code
   * examples/plain_tantivy.rs} does for Tantivy's. Quoted phrases, {@code OR}, {@code AND},
   * {@code -word} and parentheses pass unchanged (the classic syntax has them). A word with an
   * apostrophe ({@code l'employeur}) also passes unchanged: the apostrophe is no operator there,
   * the standard tokenizer keeps {@code l'employeur} as one token and FrenchAnalyzer's elision
   * filter drops {@code l'}, so it is the single term {@code employeur}, as in vigie. {@code
   * word*} stays a prefix query, its prefix lower-cased and stripped of accents, since the
   * parser does not stem multi-term queries and the light French stemmer folds the accents of
   * the indexed terms.
   */
  static String translate(String query) {
    List<String> out = new ArrayList<>();
    String[] words = query.trim().split("\\s+");
    for (int i = 0; i < words.length; i++) {
      String w = words[i];
      if (w.isEmpty()) {
        continue;
      }
      if (w.startsWith("\"")) {
        StringBuilder phrase = new StringBuilder(w);
        while (!(phrase.length() > 1 && phrase.charAt(phrase.length() - 1) == '"')
            && i + 1 < words.length) {
          phrase.append(' ').append(words[++i]);
        }
        out.add(phrase.toString());
      } else if (w.length() > 1 && w.endsWith("*")) {
        out.add(fold(w.substring(0, w.length() - 1)) + "*");
      } else {
        out.add(w);
      }
    }
    return String.join(" ", out);
  }

  /** Lower case, accents removed (as FrenchLightStemmer's normalisation of indexed terms). */
  static String fold(String word) {
    return Normalizer.normalize(word.toLowerCase(Locale.ROOT), Normalizer.Form.NFD)
        .replaceAll("\\p{M}", "");
  }

  /** One query of a query file: its kind ({@code # kind: NAME} above it) and text. */
  record BenchQuery(String kind, String text) {}

  /** Parses a query file as vigie's {@code bench::parse_queries}. */
  static List<BenchQuery> readQueries(Path path) throws IOException {
    String kind = "default";
    List<BenchQuery> out = new ArrayList<>();
    for (String raw : Files.readAllLines(path, StandardCharsets.UTF_8)) {
      String line = raw.strip();
      if (line.isEmpty()) {
        continue;
      }
      if (line.startsWith("#")) {
        String comment = line.substring(1).stripLeading();
        if (comment.startsWith("kind:")) {
          String name = comment.substring(5).strip();
          kind = name.isEmpty() ? "default" : name;
        }
        continue;
      }
      out.add(new BenchQuery(kind, line));
    }
    return out;
  }

  // ------------------------------------------------------------------ searching

  /** What one search reported; times in microseconds. */
  record Outcome(long total, List<String> hits, double searchMicros, double fetchMicros) {}

  /** A searcher over one index, reused for every query (one thread). */
  static final class Engine implements AutoCloseable {
    final DirectoryReader reader;
    final IndexSearcher searcher;
    final QueryParser parser;
    final UnifiedHighlighter highlighter;
    int parseErrors;

    Engine(Path dir) throws IOException {
      reader = DirectoryReader.open(FSDirectory.open(dir));
      searcher = new IndexSearcher(reader); // no executor: one thread, as the other engines
      // No query cache: every round must do the work again, as in the Tantivy engines.
      searcher.setQueryCache(null);
      Analyzer analyzer = new FrenchAnalyzer();
      parser = new QueryParser("body", analyzer);
      parser.setDefaultOperator(QueryParser.Operator.AND);
      // Whole paragraph as one passage, like plain_tantivy's SnippetGenerator with 100,000
      // chars; offsets come from re-analysing the stored text (no offsets in the index).
      highlighter =
          UnifiedHighlighter.builder(searcher, analyzer)
              .withBreakIterator(WholeBreakIterator::new)
              .withMaxLength(100_000)
              .build();
    }

    /**
     * Search: parse, then the top {@code limit} by BM25 and the exact number of matches in one
     * collection ({@code TopScoreDocCollectorManager} with a total-hits threshold of {@code
     * Integer.MAX_VALUE}, so no block-max WAND skipping, like Tantivy's {@code (TopDocs,
     * Count)}). Fetch: {@code doc_id} and {@code paragraph} of each hit, and the highlighted
     * paragraph (the highlighter loads the stored body).
     */
    Outcome search(String text, int limit) throws IOException {
      long start = System.nanoTime();
      Query query;
      try {
        query = parser.parse(translate(text));
      } catch (ParseException e) {
        if (parseErrors++ == 0) {
          System.err.println("lucene: cannot parse " + text + ": " + e.getMessage());
        }
        query = new MatchNoDocsQuery();
      }
      TopDocs top =
          searcher.search(
              query, new TopScoreDocCollectorManager(Math.max(1, limit), null, Integer.MAX_VALUE));
      long searched = System.nanoTime();
      StoredFields stored = searcher.storedFields();
      List<String> hits = new ArrayList<>(top.scoreDocs.length);
      String[] snippets = highlighter.highlight("body", query, top, 1);
      for (int i = 0; i < top.scoreDocs.length; i++) {
        ScoreDoc sd = top.scoreDocs[i];
        Document d = stored.document(sd.doc, Set.of("doc_id", "paragraph"));
        hits.add(
            String.format(
                Locale.ROOT,
                "%s §%s (%.2f)%n   %s",
                d.get("doc_id"),
                d.get("paragraph"),
                sd.score,
                snippets[i]));
      }
      long fetched = System.nanoTime();
      return new Outcome(
          top.totalHits.value(), hits, (searched - start) / 1e3, (fetched - searched) / 1e3);
    }

    @Override
    public void close() throws IOException {
      reader.close();
    }
  }

  // ------------------------------------------------------------------ bench

  /** Latency samples of one query (microseconds) and what its last run found. */
  static final class Series {
    final List<Double> total = new ArrayList<>();
    final List<Double> search = new ArrayList<>();
    final List<Double> fetch = new ArrayList<>();
    long hits;
    int returned;
  }

  /** Nearest-rank percentiles as vigie's {@code bench::Percentiles::of}, as JSON. */
  static String percentiles(List<Double> samples) {
    int n = samples.size();
    if (n == 0) {
      return "{\"samples\":0,\"p50\":0.0,\"p95\":0.0,\"p99\":0.0,\"max\":0.0,\"mean\":0.0}";
    }
    double[] s = samples.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    double mean = Arrays.stream(s).sum() / n;
    return String.format(
        Locale.ROOT,
        "{\"samples\":%d,\"p50\":%s,\"p95\":%s,\"p99\":%s,\"max\":%s,\"mean\":%s}",
        n,
        num(rank(s, 50)),
        num(rank(s, 95)),
        num(rank(s, 99)),
        num(s[n - 1]),
        num(mean));
  }

  private static double rank(double[] sorted, double p) {
    int n = sorted.length;
    int r = (int) Math.ceil(p / 100.0 * n);
    return sorted[Math.min(n, Math.max(1, r)) - 1];
  }

  private static String num(double x) {
    return Double.isFinite(x) ? Double.toString(x) : "0.0";
  }

  private static double qps(List<Double> totalMicros) {
    double sum = totalMicros.stream().mapToDouble(Double::doubleValue).sum();
    return sum > 0 ? totalMicros.size() / (sum / 1e6) : 0.0;
  }

  static String jsonString(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }

  /** The JSON of one kind: samples of all its queries pooled, as vigie's {@code KindReport}. */
  static String kindJson(String kind, List<Series> members) {
    List<Double> total = new ArrayList<>();
    List<Double> search = new ArrayList<>();
    List<Double> fetch = new ArrayList<>();
    double hits = 0;
    for (Series s : members) {
      total.addAll(s.total);
      search.addAll(s.search);
      fetch.addAll(s.fetch);
      hits += s.hits;
    }
    return String.format(
        Locale.ROOT,
        "{\"kind\":%s,\"queries\":%d,\"mean_hits\":%s,\"total\":%s,\"search\":%s,\"fetch\":%s,"
            + "\"qps\":%s}",
        jsonString(kind),
        members.size(),
        num(members.isEmpty() ? 0.0 : hits / members.size()),
        percentiles(total),
        percentiles(search),
        percentiles(fetch),
        num(qps(total)));
  }

  /**
   * Runs unmeasured warm-up rounds over all queries, at least {@code warmup} of them and for at
   * least {@code warmupSeconds} (the JIT compiles the hot paths only after many executions: on
   * the two-file corpus, search p50 still halved between 300 and 1,000 rounds and was flat from
   * 1,000 to 3,000), then {@code runs} measured rounds, round-robin over the queries in file
   * order, as vigie's {@code bench::measure}; prints the JSON report (or a short table), whose
   * {@code warmup} is the number of warm-up rounds done.
   */
  static void bench(
      Path dir, Path queryFile, int runs, int warmup, double warmupSeconds, int limit, boolean json)
      throws IOException {
    List<BenchQuery> queries = readQueries(queryFile);
    List<Series> series = new ArrayList<>();
    for (int i = 0; i < queries.size(); i++) {
      series.add(new Series());
    }
    long sink = 0;
    try (Engine engine = new Engine(dir)) {
      long warmStart = System.nanoTime();
      int rounds = 0;
      while (rounds < warmup || (System.nanoTime() - warmStart) / 1e9 < warmupSeconds) {
        for (BenchQuery q : queries) {
          sink += engine.search(q.text(), limit).total();
        }
        rounds++;
      }
      warmup = rounds;
      for (int r = 0; r < runs; r++) {
        for (int i = 0; i < queries.size(); i++) {
          long start = System.nanoTime();
          Outcome o = engine.search(queries.get(i).text(), limit);
          double micros = (System.nanoTime() - start) / 1e3;
          Series s = series.get(i);
          s.total.add(micros);
          s.search.add(o.searchMicros());
          s.fetch.add(o.fetchMicros());
          s.hits = o.total();
          s.returned = o.hits().size();
          sink += o.hits().size();
        }
      }
    }
    if (sink == Long.MIN_VALUE) {
      System.err.println(sink); // keeps the warm-up's results alive
    }
    Map<String, List<Series>> kinds = new LinkedHashMap<>();
    for (int i = 0; i < queries.size(); i++) {
      kinds.computeIfAbsent(queries.get(i).kind(), k -> new ArrayList<>()).add(series.get(i));
    }
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    if (!json) {
      out.printf(
          Locale.ROOT, "%-40s %8s %9s %9s %9s%n", "query (µs)", "hits", "search50", "fetch50",
          "total50");
      for (int i = 0; i < queries.size(); i++) {
        Series s = series.get(i);
        out.printf(
            Locale.ROOT,
            "%-40s %8d %9.0f %9.0f %9.0f%n",
            "[" + queries.get(i).kind() + "] " + queries.get(i).text(),
            s.hits,
            median(s.search),
            median(s.fetch),
            median(s.total));
      }
      out.flush();
      return;
    }
    StringBuilder b = new StringBuilder();
    b.append("{\"engine\":\"lucene\",\"lucene_version\":")
        .append(jsonString(Version.LATEST.toString()))
        .append(",\"java_version\":")
        .append(jsonString(Runtime.version().toString()))
        .append(String.format(
            Locale.ROOT,
            ",\"runs\":%d,\"warmup\":%d,\"warmup_seconds\":%s,\"limit\":%d,\"queries\":[",
            runs,
            warmup,
            num(warmupSeconds),
            limit));
    for (int i = 0; i < queries.size(); i++) {
      Series s = series.get(i);
      BenchQuery q = queries.get(i);
      b.append(i == 0 ? "" : ",")
          .append("{\"kind\":")
          .append(jsonString(q.kind()))
          .append(",\"query\":")
          .append(jsonString(q.text()))
          .append(",\"lucene\":")
          .append(jsonString(translate(q.text())))
          .append(String.format(Locale.ROOT, ",\"hits\":%d,\"returned\":%d", s.hits, s.returned))
          .append(",\"total\":")
          .append(percentiles(s.total))
          .append(",\"search\":")
          .append(percentiles(s.search))
          .append(",\"fetch\":")
          .append(percentiles(s.fetch))
          .append(",\"qps\":")
          .append(num(qps(s.total)))
          .append('}');
    }
    b.append("],\"kinds\":[");
    boolean first = true;
    for (Map.Entry<String, List<Series>> k : kinds.entrySet()) {
      b.append(first ? "" : ",").append(kindJson(k.getKey(), k.getValue()));
      first = false;
    }
    b.append("],\"overall\":").append(kindJson("all", series)).append('}');
    out.println(b);
    out.flush();
  }

  private static double median(List<Double> xs) {
    return rank(xs.stream().mapToDouble(Double::doubleValue).sorted().toArray(), 50);
  }

  // ------------------------------------------------------------------ main

  private static final String USAGE =
      "usage: lucene-bench index [--memory MIB] INDEX_DIR FILES...\n"
          + "       lucene-bench bench INDEX_DIR QUERYFILE [--runs N] [--warmup N]"
          + " [--warmup-seconds S] [--limit N] [--json]\n"
          + "       lucene-bench search INDEX_DIR QUERY...";

  public static void main(String[] args) throws Exception {
    List<String> a = new ArrayList<>(Arrays.asList(args));
    String cmd = a.isEmpty() ? "" : a.remove(0);
    switch (cmd) {
      case "index" -> {
        double memory = 512;
        if (!a.isEmpty() && a.get(0).equals("--memory") && a.size() > 1) {
          a.remove(0);
          memory = Double.parseDouble(a.remove(0));
        }
        if (a.size() < 2) {
          fail();
        }
        List<Path> files = a.subList(1, a.size()).stream().map(Path::of).toList();
        index(Path.of(a.get(0)), files, memory);
      }
      case "bench" -> {
        if (a.size() < 2) {
          fail();
        }
        int runs = 20;
        int warmup = 20;
        double warmupSeconds = 0;
        int limit = 10;
        boolean json = false;
        for (int i = 2; i < a.size(); i++) {
          switch (a.get(i)) {
            case "--runs" -> runs = Math.max(1, Integer.parseInt(a.get(++i)));
            case "--warmup" -> warmup = Integer.parseInt(a.get(++i));
            case "--warmup-seconds" -> warmupSeconds = Double.parseDouble(a.get(++i));
            case "--limit" -> limit = Integer.parseInt(a.get(++i));
            case "--json" -> json = true;
            default -> fail();
          }
        }
        bench(Path.of(a.get(0)), Path.of(a.get(1)), runs, warmup, warmupSeconds, limit, json);
      }
      case "search" -> {
        if (a.size() < 2) {
          fail();
        }
        try (Engine engine = new Engine(Path.of(a.get(0)))) {
          String query = String.join(" ", a.subList(1, a.size()));
          Outcome o = engine.search(query, 10);
          PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
          out.println("lucene query: " + engine.parser.parse(translate(query)));
          for (int i = 0; i < o.hits().size(); i++) {
            out.println((i + 1) + ". " + o.hits().get(i));
          }
          out.println(o.total() + " matching paragraphs");
          out.flush();
          if (o.total() == 0) {
            System.exit(1);
          }
        }
      }
      default -> fail();
    }
  }

  private static void fail() {
    System.err.println(USAGE);
    System.exit(2);
  }
}
