package org.biotwin.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** target-platform/biotwin.target (for Eclipse PDE) lists every bundle of the bundle set at the built version. */
class TargetDefinitionTest {

    @Test
    void everyBundleOfTheSetIsInTheTargetDefinitionAtTheSameVersion() throws Exception {
        Path target = Path.of("..", "..", "target-platform", "biotwin.target");
        NodeList deps = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(target.toFile())
                .getElementsByTagName("dependency");
        Set<String> inTarget = new HashSet<>();
        for (int i = 0; i < deps.getLength(); i++) {
            Element d = (Element) deps.item(i);
            inTarget.add(text(d, "artifactId") + "-" + text(d, "version") + ".jar");
        }
        List<String> inSet = new ArrayList<>();
        for (String list : List.of("bundles.properties", "host-bundles.properties")) {
            BundleList.read(BundleSetTest.home().resolve(list)).entries().forEach(e -> inSet.add(e.file()));
        }
        assertThat(inTarget).as("jar names (artifactId-version.jar) in %s", target).containsAll(inSet);
    }

    private static String text(Element e, String tag) {
        return e.getElementsByTagName(tag).item(0).getTextContent().strip();
    }
}
