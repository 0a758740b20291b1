package org.tensorparity.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.File;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorparity.fixtures.catalog.FixturePair;
import org.tensorparity.testing.FixturePairs;

/**
 * The scale-out recipes in {@code docs/ci}, run the way their engines would run them: the shard
 * commands and the merge command are read from each recipe file, the engine's variables (the matrix
 * value, {@code CI_NODE_INDEX}, {@code JOB_COMPLETION_INDEX}) are set, and each command is its own
 * {@code sh} process calling {@code parity}, three shards and then the merge, with the reports handed
 * over as the engine hands them (artifacts between workspaces, or one shared volume). The merged
 * report must carry the unsharded run's verdicts and figures.
 */
class ShardRecipesTest {
    private static final Path RECIPES = Path.of("..", "docs", "ci").toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final Pattern EXPRESSION = Pattern.compile("\\$\\{\\{\\s*(.+?)\\s*}}");
    private static final long PROCESS_TIMEOUT_SECONDS = 300;

    private static Path work;
    private static Path bin;
    private static Path suite;
    private static JsonNode unsharded;

    @BeforeAll
    static void theZooAndItsUnshardedRun() throws Exception {
        work = FixturePairs.scratch("recipes");
        bin = launcher(Files.createDirectories(work.resolve("bin")));
        suite = zoo(Files.createDirectories(work.resolve("zoo")));
        Path full = work.resolve("full.json");
        Exit run = run(List.of(bin.resolve("parity").toString(), "suite", suite.toString(), "--json", full.toString()),
                Map.of(), work);
        assertEquals(1, run.code(), () -> "the zoo holds one broken conversion: " + run);
        unsharded = JSON.readTree(full.toFile());
        Map<String, String> verdicts = new TreeMap<>();
        unsharded.get("pairs").forEach(p -> verdicts.put(p.get("name").asText(), p.at("/report/verdict").asText()));
        assertEquals(Map.of("detection-271", "pass", "template-127", "pass", "template-conv-weight-early", "fail",
                "template-onnx2tf", "pass"), verdicts, "both verdicts are in the zoo, so the merge has both to carry");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"github-actions.yml", "gitlab-ci.yml", "kubernetes-indexed-job.yaml"})
    void threeShardProcessesMergeIntoTheUnshardedVerdictsAndFigures(String file) throws Exception {
        Recipe recipe = switch (file) {
            case "github-actions.yml" -> github();
            case "gitlab-ci.yml" -> gitlab();
            default -> kubernetes();
        };
        assertEquals(3, recipe.shards().size(), "the recipes spread the suite over 3 runners");
        Path root = Files.createDirectories(work.resolve(file));
        boolean ownWorkspaces = recipe.artifacts().isPresent();
        Path mergeDir = Files.createDirectories(root.resolve(ownWorkspaces ? "merge" : "volume"));

        Set<String> labels = new HashSet<>();
        for (int k = 0; k < recipe.shards().size(); k++) {
            Shell shard = recipe.shards().get(k);
            assertEquals(suite.toString(), shard.env().get("SUITE"), "the recipe names its suite in SUITE, the one line to edit");
            Path dir = ownWorkspaces ? Files.createDirectories(root.resolve("runner-" + (k + 1))) : mergeDir;
            Set<Path> before = suiteReports(dir).keySet();
            Exit exit = run(shard.argv(), shard.env(), dir);
            Map<Path, JsonNode> written = new LinkedHashMap<>(suiteReports(dir));
            written.keySet().removeAll(before);
            assertEquals(1, written.size(), () -> "shard process " + shard.env() + " writes one report: " + exit);
            JsonNode report = written.values().iterator().next();
            assertTrue(labels.add(report.get("shard").asText()), () -> "each shard runs once: " + labels);
            assertFalse(report.get("pairs").isEmpty(), () -> "shard " + report.get("shard") + " has work");
            int expected = report.get("verdict").asText().equals("fail") ? recipe.exitOfAShardWithAFailingPair() : 0;
            assertEquals(expected, exit.code(), exit::toString);
            if (ownWorkspaces) {
                recipe.artifacts().get().deliver(dir, mergeDir);
            }
        }
        assertEquals(Set.of("1/3", "2/3", "3/3"), labels);

        Set<Path> before = suiteReports(mergeDir).keySet();
        Exit merge = run(recipe.merge().argv(), recipe.merge().env(), mergeDir);
        assertEquals(1, merge.code(), () -> "the gate fails on the broken pair: " + merge);
        List<JsonNode> merged = suiteReports(mergeDir).entrySet().stream().filter(e -> !before.contains(e.getKey()))
                .map(Map.Entry::getValue).toList();
        assertEquals(1, merged.size(), merge::toString);
        assertSameVerdictsAndFigures(unsharded, merged.get(0));

        // A shard whose runner died before handing its report over: the gate must not pass on the rest.
        Path lost = suiteReports(mergeDir).entrySet().stream().filter(e -> e.getValue().path("shard").asText().equals("3/3"))
                .map(Map.Entry::getKey).findFirst().orElseThrow();
        Files.delete(lost);
        Exit partial = run(recipe.merge().argv(), recipe.merge().env(), mergeDir);
        assertEquals(2, partial.code(), partial::toString);
        assertTrue(partial.err().contains("shard 3/3 missing"), partial::toString);
    }

    /** What the runs above cannot show: the engine starts the merge after a failing shard, and keeps its report. */
    @Test
    void theCiRecipesMergeAfterAShardFails() throws IOException {
        JsonNode workflow = YAML.readTree(RECIPES.resolve("github-actions.yml").toFile());
        Map.Entry<String, JsonNode> shard = githubShardJob(workflow);
        assertFalse(shard.getValue().at("/strategy/fail-fast").asBoolean(true),
                "a failing shard must not cancel the others, whose reports the merge needs");
        JsonNode upload = step(shard.getValue(), s -> s.path("uses").asText().startsWith("actions/upload-artifact"));
        assertEquals("${{ !cancelled() }}", upload.path("if").asText(), "the report of a failing shard is uploaded too");
        JsonNode merge = githubMergeJob(workflow, shard.getKey());
        assertEquals("${{ !cancelled() }}", merge.path("if").asText(), "the merge runs after a failing shard too");

        JsonNode pipeline = YAML.readTree(RECIPES.resolve("gitlab-ci.yml").toFile());
        Map.Entry<String, JsonNode> parallel = gitlabShardJob(pipeline);
        assertEquals("always", parallel.getValue().at("/artifacts/when").asText(), "the report of a failing shard is kept too");
        assertEquals("always", gitlabMergeJob(pipeline, parallel.getKey()).path("when").asText(),
                "the merge runs after a failing shard too");
    }

    @Test
    void theIndexedJobGivesEveryShardToExactlyOneCompletionIndex() throws Exception {
        List<JsonNode> manifest = kubernetesManifest();
        JsonNode shards = indexedJob(manifest);
        assertEquals("Indexed", shards.at("/spec/completionMode").asText());
        int completions = shards.at("/spec/completions").asInt();
        String script = String.join(" ", container(shards).argv());
        List<String> labels = new ArrayList<>();
        Set<String> reports = new HashSet<>();
        for (int index = 0; index < completions; index++) {
            Map<String, String> env = Map.of("JOB_COMPLETION_INDEX", Integer.toString(index));
            labels.add(evaluate(onlyWord(script, "--shard"), env));
            reports.add(evaluate(onlyWord(script, "--json"), env));
        }
        assertEquals(IntStream.rangeClosed(1, completions).mapToObj(i -> i + "/" + completions).toList(), labels,
                "index k runs shard k+1 of N = completions");
        assertEquals(completions, reports.size(), "each index writes its own report on the shared volume");

        // Both Jobs work in the claim's mount, so the shard reports are where the merge looks for them.
        JsonNode claim = manifest.stream().filter(d -> d.path("kind").asText().equals("PersistentVolumeClaim")).findFirst().orElseThrow();
        assertTrue(texts(claim.at("/spec/accessModes")).contains("ReadWriteMany"), "pods on several nodes write to it at once");
        for (JsonNode job : manifest.stream().filter(d -> d.path("kind").asText().equals("Job")).toList()) {
            JsonNode pod = job.at("/spec/template/spec");
            assertEquals("Never", pod.path("restartPolicy").asText(), "the Job, not the kubelet, decides about a failed pod");
            JsonNode volume = pod.path("volumes").get(0);
            assertEquals(claim.at("/metadata/name").asText(), volume.at("/persistentVolumeClaim/claimName").asText());
            JsonNode mount = pod.at("/containers/0/volumeMounts/0");
            assertEquals(volume.path("name").asText(), mount.path("name").asText());
            assertEquals(mount.path("mountPath").asText(), pod.at("/containers/0/workingDir").asText());
        }
    }

    /** A volume outlives its Jobs: a shard that cannot run must not leave the last run's report for the merge. */
    @Test
    void aKubernetesShardThatCannotRunLeavesNoOldReportOnTheVolume() throws Exception {
        Shell shard = kubernetes().shards().get(0);
        Path volume = Files.createDirectories(work.resolve("reused-volume"));
        String script = String.join(" ", shard.argv());
        Path old = volume.resolve(evaluate(onlyWord(script, "--json"), shard.env()));
        Files.createDirectories(old.getParent());
        Files.copy(work.resolve("full.json"), old);
        Map<String, String> env = new LinkedHashMap<>(shard.env());
        env.put("SUITE", volume.resolve("gone.suite.yaml").toString());

        Exit exit = run(shard.argv(), env, volume);
        assertEquals(2, exit.code(), () -> "bad input fails the pod with parity's own code: " + exit);
        assertFalse(Files.exists(old), "the merge finds this shard missing instead of the old report");
        JsonNode failJob = indexedJob(kubernetesManifest()).at("/spec/podFailurePolicy/rules/0");
        assertEquals("FailJob", failJob.path("action").asText());
        assertTrue(texts(failJob.at("/onExitCodes/values")).contains("2"), "exit 2 repeats on a retry: it fails the Job");
    }

    // ---- the recipes, read as their engines read them

    /** A process the engine starts: its argument vector and the variables the recipe and the engine set. */
    private record Shell(List<String> argv, Map<String, String> env) {
    }

    /** How a shard job's files reach the merge job's workspace. */
    @FunctionalInterface
    private interface Artifacts {
        void deliver(Path shardWorkspace, Path mergeWorkspace) throws IOException;
    }

    /**
     * @param artifacts how shard reports travel between workspaces; empty when every job mounts one volume
     * @param exitOfAShardWithAFailingPair what the engine sees from a shard whose report fails
     */
    private record Recipe(List<Shell> shards, Shell merge, Optional<Artifacts> artifacts, int exitOfAShardWithAFailingPair) {
    }

    /** GitHub runs each step's {@code run:} with {@code bash -e} ({@code sh -e} without bash), after expanding {@code ${{ }}}. */
    private static Recipe github() throws IOException {
        JsonNode workflow = YAML.readTree(RECIPES.resolve("github-actions.yml").toFile());
        Map.Entry<String, JsonNode> shardJob = githubShardJob(workflow);
        JsonNode verify = step(shardJob.getValue(), s -> s.path("run").asText().contains("parity suite"));
        JsonNode upload = step(shardJob.getValue(), s -> s.path("uses").asText().startsWith("actions/upload-artifact"));
        JsonNode mergeJob = githubMergeJob(workflow, shardJob.getKey());
        JsonNode download = step(mergeJob, s -> s.path("uses").asText().startsWith("actions/download-artifact"));
        JsonNode merge = step(mergeJob, s -> s.path("run").asText().contains("parity report merge"));
        assertTrue(download.at("/with/merge-multiple").asBoolean(),
                "the merge's glob expects every shard's report in one folder, not one folder per artifact");

        List<Shell> shards = new ArrayList<>();
        for (JsonNode value : shardJob.getValue().at("/strategy/matrix/shard")) {
            Map<String, String> expressions = Map.of("matrix.shard", value.asText());
            String artifact = expand(upload.at("/with/name").asText(), expressions);
            assertTrue(FileSystems.getDefault().getPathMatcher("glob:" + download.at("/with/pattern").asText())
                    .matches(Path.of(artifact)), () -> "the merge downloads " + artifact);
            shards.add(new Shell(List.of("sh", "-e", "-c", expand(verify.path("run").asText(), expressions)),
                    overridden(variables(workflow.path("env"), shardJob.getValue().path("env"), verify.path("env")))));
        }
        Path uploaded = Path.of(upload.at("/with/path").asText());
        Path downloaded = Path.of(download.at("/with/path").asText());
        Artifacts artifacts = (shard, merged) -> copyTree(shard.resolve(uploaded), merged.resolve(downloaded));
        Shell mergeShell = new Shell(List.of("sh", "-e", "-c", expand(merge.path("run").asText(), Map.of())),
                overridden(variables(workflow.path("env"), mergeJob.path("env"), merge.path("env"))));
        return new Recipe(shards, mergeShell, Optional.of(artifacts), 1);
    }

    /** GitLab runs a job's {@code script:} lines in one shell that stops at the first failing line. */
    private static Recipe gitlab() throws IOException {
        JsonNode pipeline = YAML.readTree(RECIPES.resolve("gitlab-ci.yml").toFile());
        Map.Entry<String, JsonNode> shardJob = gitlabShardJob(pipeline);
        JsonNode mergeJob = gitlabMergeJob(pipeline, shardJob.getKey());
        int total = shardJob.getValue().path("parallel").asInt();
        List<Shell> shards = new ArrayList<>();
        for (int index = 1; index <= total; index++) {
            Map<String, String> env = overridden(variables(pipeline.path("variables"), shardJob.getValue().path("variables")));
            env.put("CI_NODE_INDEX", Integer.toString(index));
            env.put("CI_NODE_TOTAL", Integer.toString(total));
            shards.add(new Shell(List.of("sh", "-e", "-c", String.join("\n", texts(shardJob.getValue().path("script")))), env));
        }
        List<String> kept = texts(shardJob.getValue().at("/artifacts/paths"));
        // GitLab restores a job's artifacts at the paths they had in its workspace.
        Artifacts artifacts = (shard, merged) -> {
            for (String path : kept) {
                copyTree(shard.resolve(path), merged.resolve(path));
            }
        };
        Shell merge = new Shell(List.of("sh", "-e", "-c", String.join("\n", texts(mergeJob.path("script")))),
                overridden(variables(pipeline.path("variables"), mergeJob.path("variables"))));
        return new Recipe(shards, merge, Optional.of(artifacts), 1);
    }

    /** The kubelet runs a container's {@code command} + {@code args} as they are, with the Job's index in the environment. */
    private static Recipe kubernetes() throws IOException {
        List<JsonNode> manifest = kubernetesManifest();
        JsonNode shardJob = indexedJob(manifest);
        JsonNode mergeJob = manifest.stream().filter(d -> d.path("kind").asText().equals("Job") && d != shardJob)
                .findFirst().orElseThrow(() -> new AssertionError("a merge Job beside the Indexed one"));
        List<Shell> shards = new ArrayList<>();
        for (int index = 0; index < shardJob.at("/spec/completions").asInt(); index++) {
            Shell container = container(shardJob);
            container.env().put("JOB_COMPLETION_INDEX", Integer.toString(index));
            shards.add(container);
        }
        // The shell maps exit 1 to success: a verdict is final, and a failed pod would be retried.
        return new Recipe(shards, container(mergeJob), Optional.empty(), 0);
    }

    private static Map.Entry<String, JsonNode> githubShardJob(JsonNode workflow) {
        return onlyEntry(workflow.path("jobs"), job -> job.at("/strategy/matrix").has("shard"), "job with a shard matrix");
    }

    private static JsonNode githubMergeJob(JsonNode workflow, String shardJob) {
        return onlyEntry(workflow.path("jobs"), job -> texts(job.path("needs")).contains(shardJob), "job that needs " + shardJob).getValue();
    }

    private static Map.Entry<String, JsonNode> gitlabShardJob(JsonNode pipeline) {
        return onlyEntry(pipeline, job -> job.has("script") && job.has("parallel"), "parallel job");
    }

    private static JsonNode gitlabMergeJob(JsonNode pipeline, String shardJob) {
        return onlyEntry(pipeline, job -> job.has("script") && texts(job.path("needs")).contains(shardJob),
                "job that needs " + shardJob).getValue();
    }

    private static List<JsonNode> kubernetesManifest() throws IOException {
        try (var documents = YAML.readerFor(JsonNode.class).<JsonNode>readValues(RECIPES.resolve("kubernetes-indexed-job.yaml").toFile())) {
            return documents.readAll();
        }
    }

    private static JsonNode indexedJob(List<JsonNode> manifest) {
        List<JsonNode> indexed = manifest.stream().filter(d -> d.path("kind").asText().equals("Job")
                && d.at("/spec/completionMode").asText().equals("Indexed")).toList();
        assertEquals(1, indexed.size(), "one Indexed Job runs the shards");
        return indexed.get(0);
    }

    /** The Job's one container as a process; its working directory stands for the volume the test runs it in. */
    private static Shell container(JsonNode job) {
        JsonNode containers = job.at("/spec/template/spec/containers");
        assertEquals(1, containers.size(), "one container per pod");
        List<String> argv = new ArrayList<>(texts(containers.get(0).path("command")));
        argv.addAll(texts(containers.get(0).path("args")));
        Map<String, String> env = new LinkedHashMap<>();
        containers.get(0).path("env").forEach(e -> env.put(e.path("name").asText(), e.path("value").asText()));
        return new Shell(argv, overridden(env));
    }

    private static JsonNode step(JsonNode job, Predicate<JsonNode> which) {
        List<JsonNode> found = new ArrayList<>();
        job.path("steps").forEach(s -> {
            if (which.test(s)) {
                found.add(s);
            }
        });
        assertEquals(1, found.size(), () -> "one such step in " + job.path("steps"));
        return found.get(0);
    }

    private static Map.Entry<String, JsonNode> onlyEntry(JsonNode map, Predicate<JsonNode> which, String what) {
        List<Map.Entry<String, JsonNode>> found = new ArrayList<>();
        map.fields().forEachRemaining(e -> {
            if (e.getValue().isObject() && which.test(e.getValue())) {
                found.add(e);
            }
        });
        assertEquals(1, found.size(), () -> "one " + what + ": " + found);
        return found.get(0);
    }

    /** GitHub's {@code ${{ }}} expressions, of which a recipe may use only those the test knows the value of. */
    private static String expand(String text, Map<String, String> values) {
        Matcher m = EXPRESSION.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                fail("the test does not know what the runner puts for ${{ " + m.group(1) + " }} in: " + text);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        return m.appendTail(out).toString();
    }

    /** Environment maps, later ones winning, as a workflow's, a job's and a step's {@code env} do. */
    private static Map<String, String> variables(JsonNode... levels) {
        Map<String, String> env = new LinkedHashMap<>();
        for (JsonNode level : levels) {
            level.fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
        }
        return env;
    }

    /** The recipe's variables with its example suite, where it names one, replaced by the test's zoo. */
    private static Map<String, String> overridden(Map<String, String> env) {
        Map<String, String> copy = new LinkedHashMap<>(env);
        copy.computeIfPresent("SUITE", (name, example) -> suite.toString());
        return copy;
    }

    private static List<String> texts(JsonNode node) {
        if (node.isTextual()) {
            return List.of(node.asText());
        }
        List<String> out = new ArrayList<>();
        node.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** The one shell word after {@code option} in a command line. */
    private static String onlyWord(String script, String option) {
        Matcher m = Pattern.compile(Pattern.quote(option) + "\\s+(\"[^\"]*\"|\\S+)").matcher(script);
        assertTrue(m.find(), () -> option + " in " + script);
        String word = m.group(1);
        assertFalse(m.find(), () -> "one " + option + " in " + script);
        return word;
    }

    /** A shell word as the container's shell expands it. */
    private static String evaluate(String word, Map<String, String> env) throws Exception {
        Exit exit = run(List.of("sh", "-c", "printf '%s' " + word), env, work);
        assertEquals(0, exit.code(), exit::toString);
        return exit.out();
    }

    // ---- the zoo, the launcher and the processes

    /**
     * Four pairs in three shard groups (the template -> detection chain stays together), one of them a broken
     * conversion: each of three shards has work, and one shard fails.
     */
    private static Path zoo(Path dir) throws IOException {
        FixturePair template = FixturePairs.pair("template-127-onnxtf");
        FixturePair detection = FixturePairs.pair("detection-271-onnxtf");
        FixturePair onnx2tf = FixturePairs.pair("template-127-onnx2tf");
        FixturePair broken = FixturePairs.pair("template-127-onnxtf-conv-weight-early");
        return Files.writeString(dir.resolve("zoo.suite.yaml"), """
                pairs:
                  - {name: template-127, onnx: "%s", tflite: "%s"}
                  - {name: detection-271, onnx: "%s", tflite: "%s"}
                  - {name: template-onnx2tf, onnx: "%s", tflite: "%s"}
                  - {name: template-conv-weight-early, onnx: "%s", tflite: "%s"}
                stages:
                  - from: template-127
                    to: detection-271
                    wires: {r1_kernel_raw: r1_kernel, cls1_kernel_raw: cls1_kernel}
                """.formatted(template.onnx(), template.tflite(), detection.onnx(), detection.tflite(),
                onnx2tf.onnx(), onnx2tf.tflite(), broken.onnx(), broken.tflite()));
    }

    /**
     * {@code parity} for the recipes' shells: this build's CLI from the test classpath, since Surefire runs
     * before the jar that {@code ./parity} launches is packaged. The small fixtures need little heap.
     */
    private static Path launcher(Path dir) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = System.getProperty("java.class.path");
        assertFalse((java + classpath).contains("'"), "quoted in single quotes below");
        Path parity = Files.writeString(dir.resolve("parity"), "#!/bin/sh\nexec '" + java + "' -Xmx1g -cp '" + classpath + "' "
                + ParityCli.class.getName() + " \"$@\"\n");
        assertTrue(parity.toFile().setExecutable(true));
        return dir;
    }

    private record Exit(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- out\n" + out + "--- err\n" + err;
        }
    }

    /** One process in {@code dir}, with {@code parity} on its PATH. */
    private static Exit run(List<String> argv, Map<String, String> env, Path dir) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(argv).directory(dir.toFile());
        builder.environment().putAll(env);
        builder.environment().put("PATH", bin + File.pathSeparator + System.getenv("PATH"));
        Path out = Files.createTempFile(work, "process", ".out");
        Path err = Files.createTempFile(work, "process", ".err");
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(PROCESS_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            fail(argv + " did not finish in " + PROCESS_TIMEOUT_SECONDS + " s");
        }
        return new Exit(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** Every suite report under {@code dir}, by path. */
    private static Map<Path, JsonNode> suiteReports(Path dir) throws IOException {
        Map<Path, JsonNode> reports = new TreeMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                JsonNode node = JSON.readTree(file.toFile());
                if (node.path("kind").asText().equals("suite")) {
                    reports.put(file, node);
                }
            }
        }
        return reports;
    }

    /** Copies files without replacing any: two shards writing the same file name would lose a report. */
    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                Files.createDirectories(target.getParent());
                Files.copy(file, target);
            }
        }
    }

    // ---- the comparison

    private static void assertSameVerdictsAndFigures(JsonNode expected, JsonNode actual) {
        assertEquals(expected.get("verdict"), actual.get("verdict"));
        assertEquals(expected.get("suite"), actual.get("suite"));
        Map<String, JsonNode> want = byName(expected);
        Map<String, JsonNode> got = byName(actual);
        assertEquals(want.keySet(), got.keySet());
        for (String name : want.keySet()) {
            JsonNode a = comparable(want.get(name));
            JsonNode b = comparable(got.get(name));
            assertFalse(a.at("/report/outputs").isEmpty() || a.at("/report/layers").isEmpty(),
                    () -> name + ": outputs and layers, the figures compared");
            if (!a.equals(b)) {
                fail(name + " differs at " + firstDifference(a, b, ""));
            }
        }
    }

    private static Map<String, JsonNode> byName(JsonNode suiteReport) {
        Map<String, JsonNode> pairs = new TreeMap<>();
        suiteReport.get("pairs").forEach(p -> pairs.put(p.get("name").asText(), p));
        return pairs;
    }

    /**
     * A suite pair without what says when and how its process ran (its creation time, its command line with or
     * without {@code --shard}, the timings, and the memory budget, a share of what the machine had available): every
     * verdict, metric, layer and check stays.
     */
    private static JsonNode comparable(JsonNode pair) {
        ObjectNode copy = pair.deepCopy();
        ObjectNode report = (ObjectNode) copy.get("report");
        report.remove("timings");
        if (report.get("instrumentation") instanceof ObjectNode check) {
            check.remove("memory");
        }
        ((ObjectNode) report.get("provenance")).remove(List.of("createdAt", "command", "rerun", "runId"));
        return copy;
    }

    /** Where two JSON trees first differ, for a failure message shorter than the reports. */
    private static String firstDifference(JsonNode a, JsonNode b, String path) {
        if (a.isContainerNode() && a.getNodeType() == b.getNodeType() && a.size() == b.size()) {
            Iterator<String> names = a.isObject() ? a.fieldNames() : null;
            for (int i = 0; i < a.size(); i++) {
                String key = names != null ? names.next() : Integer.toString(i);
                JsonNode x = names != null ? a.get(key) : a.get(i);
                JsonNode y = names != null ? b.path(key) : b.get(i);
                if (!x.equals(y)) {
                    return firstDifference(x, y, path + "/" + key);
                }
            }
        }
        return path + ": " + shorten(a) + " vs " + shorten(b);
    }

    private static String shorten(JsonNode node) {
        String text = node.toString();
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }
}
