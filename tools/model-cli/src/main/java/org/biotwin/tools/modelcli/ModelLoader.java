package org.biotwin.tools.modelcli;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import javax.xml.parsers.DocumentBuilderFactory;
import org.biotwin.api.model.KineticModel;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Loads a {@link KineticModel} from a model bundle jar without an OSGi framework.
 * <p>
 * <b>How.</b> Reads the Declarative Services descriptors {@code OSGI-INF/*.xml} that bnd generated in the jar, picks the
 * components that provide {@code org.biotwin.api.model.KineticModel}, and instantiates the implementation class
 * through its public no-argument constructor in a {@link URLClassLoader} over the jar (plus any extra jars), whose
 * parent is the tool's own class loader, so the model links against the same API classes as the tool.
 * <p>
 * <b>Limits.</b> Only models that DS could create with no references and no configuration (a no-argument constructor,
 * no {@code @Reference}, no activate method needing a configuration) can be loaded; a model importing packages other
 * than the BioTwin API and the JDK needs those jars passed with {@code --classpath}; bundle activators, fragments and
 * the manifest's import ranges are not evaluated. The service properties {@code biotwin.model.id} and
 * {@code biotwin.model.version} are checked against the model's descriptor, as the engine would.
 */
final class ModelLoader {

    private static final String MODEL_INTERFACE = KineticModel.class.getName();

    private ModelLoader() {
    }

    /** A loaded model with its provenance. Close to release the jar. */
    record LoadedModel(KineticModel model, Path jar, String jarSha256, String implementationClass,
            URLClassLoader loader) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            loader.close();
        }
    }

    private record Candidate(String name, String implementation, Map<String, String> properties) {
    }

    static LoadedModel load(Path jar, String modelId, List<Path> extraJars) throws CliException {
        if (!Files.isRegularFile(jar)) {
            throw new CliException(CliException.BAD_MODEL, "Model jar " + jar + " does not exist or is not a file");
        }
        List<Candidate> candidates = new ArrayList<>();
        try (JarFile jf = new JarFile(jar.toFile())) {
            Enumeration<JarEntry> en = jf.entries();
            while (en.hasMoreElements()) {
                JarEntry e = en.nextElement();
                if (e.getName().startsWith("OSGI-INF/") && e.getName().endsWith(".xml")) {
                    try (InputStream in = jf.getInputStream(e)) {
                        candidates.addAll(parse(in, e.getName()));
                    }
                }
            }
        } catch (IOException e) {
            throw new CliException(CliException.BAD_MODEL, "Model jar " + jar + " cannot be read: " + e.getMessage(), e);
        }
        if (candidates.isEmpty()) {
            throw new CliException(CliException.BAD_MODEL, "Model jar " + jar + " declares no DS component providing "
                    + MODEL_INTERFACE + " in OSGI-INF/*.xml; is it a BioTwin model bundle built with bnd?");
        }
        Candidate chosen;
        if (modelId != null) {
            chosen = candidates.stream().filter(c -> modelId.equals(c.properties().get(KineticModel.MODEL_ID)))
                    .findFirst().orElseThrow(() -> new CliException(CliException.BAD_MODEL, "Model jar " + jar
                            + " has no model with id '" + modelId + "' (models: " + ids(candidates) + ")"));
        } else if (candidates.size() > 1) {
            throw new CliException(CliException.USAGE, "Model jar " + jar + " holds " + candidates.size()
                    + " models " + ids(candidates) + "; choose one with --model-id");
        } else {
            chosen = candidates.get(0);
        }

        URL[] urls = new URL[1 + extraJars.size()];
        try {
            urls[0] = jar.toUri().toURL();
            for (int i = 0; i < extraJars.size(); i++) {
                if (!Files.isRegularFile(extraJars.get(i))) {
                    throw new CliException(CliException.BAD_MODEL, "Class path jar " + extraJars.get(i)
                            + " does not exist");
                }
                urls[i + 1] = extraJars.get(i).toUri().toURL();
            }
        } catch (java.net.MalformedURLException e) {
            throw new CliException(CliException.BAD_MODEL, "Bad jar path: " + e.getMessage(), e);
        }
        URLClassLoader loader = new URLClassLoader("model:" + jar.getFileName(), urls,
                ModelLoader.class.getClassLoader());
        KineticModel model;
        try {
            Class<?> c = Class.forName(chosen.implementation(), true, loader);
            if (!KineticModel.class.isAssignableFrom(c)) {
                throw new CliException(CliException.BAD_MODEL, "Component " + chosen.name() + " of " + jar
                        + ": class " + c.getName() + " does not implement " + MODEL_INTERFACE
                        + " (of this tool's API version)");
            }
            model = (KineticModel) c.getConstructor().newInstance();
        } catch (CliException e) {
            close(loader);
            throw e;
        } catch (NoSuchMethodException e) {
            close(loader);
            throw new CliException(CliException.BAD_MODEL, "Model class " + chosen.implementation() + " in " + jar
                    + " has no public no-argument constructor; models needing references or configuration cannot be"
                    + " loaded outside OSGi", e);
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            close(loader);
            Throwable cause = e instanceof java.lang.reflect.InvocationTargetException ite ? ite.getCause() : e;
            throw new CliException(CliException.BAD_MODEL, "Model class " + chosen.implementation() + " in " + jar
                    + " cannot be instantiated: " + cause + " (missing dependency? pass it with --classpath)", e);
        }
        String id = model.descriptor().id();
        String version = model.descriptor().version();
        String pid = chosen.properties().get(KineticModel.MODEL_ID);
        String pver = chosen.properties().get(KineticModel.MODEL_VERSION);
        if ((pid != null && !pid.equals(id)) || (pver != null && !pver.equals(version))) {
            close(loader);
            throw new CliException(CliException.BAD_MODEL, "Model jar " + jar + ": service properties say " + pid + ":"
                    + pver + " but the descriptor says " + id + ":" + version);
        }
        return new LoadedModel(model, jar, sha256(jar), chosen.implementation(), loader);
    }

    private static String ids(List<Candidate> cs) {
        return cs.stream().map(c -> c.properties().getOrDefault(KineticModel.MODEL_ID, c.implementation())).toList()
                .toString();
    }

    private static void close(URLClassLoader l) {
        try {
            l.close();
        } catch (IOException ignored) {
            // nothing was loaded from it that must be released
        }
    }

    private static List<Candidate> parse(InputStream in, String entry) throws CliException {
        List<Candidate> out = new ArrayList<>();
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setExpandEntityReferences(false);
            Document doc = f.newDocumentBuilder().parse(in);
            List<Element> components = new ArrayList<>();
            Element root = doc.getDocumentElement();
            if ("component".equals(local(root))) {
                components.add(root);
            }
            NodeList nested = doc.getElementsByTagNameNS("*", "component");
            for (int i = 0; i < nested.getLength(); i++) {
                if (nested.item(i) != root) {
                    components.add((Element) nested.item(i));
                }
            }
            for (Element c : components) {
                boolean provides = false;
                String impl = null;
                Map<String, String> props = new LinkedHashMap<>();
                NodeList children = c.getElementsByTagNameNS("*", "*");
                for (int i = 0; i < children.getLength(); i++) {
                    Element e = (Element) children.item(i);
                    switch (local(e)) {
                        case "provide" -> provides |= MODEL_INTERFACE.equals(e.getAttribute("interface"));
                        case "implementation" -> impl = e.getAttribute("class");
                        case "property" -> props.put(e.getAttribute("name"), e.getAttribute("value"));
                        default -> {
                        }
                    }
                }
                if (provides && impl != null && !impl.isEmpty()) {
                    out.add(new Candidate(c.getAttribute("name"), impl, props));
                }
            }
        } catch (Exception e) {
            throw new CliException(CliException.BAD_MODEL, "DS descriptor " + entry + " cannot be parsed: "
                    + e.getMessage(), e);
        }
        return out;
    }

    private static String local(Node n) {
        return n.getLocalName() != null ? n.getLocalName() : n.getNodeName();
    }

    /** Hex SHA-256 of a file. */
    static String sha256(Path file) throws CliException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[65536];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new CliException(CliException.IO, "Cannot read " + file + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is mandatory in every JDK", e);
        }
    }
}
