package org.biotwin.ui.swt.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Manifest;
import javax.xml.parsers.DocumentBuilderFactory;
import org.biotwin.ui.swt.TwinPart;
import org.eclipse.e4.ui.model.application.descriptor.basic.MPartDescriptor;
import org.eclipse.e4.ui.model.fragment.MModelFragments;
import org.eclipse.e4.ui.model.fragment.MStringModelFragment;
import org.eclipse.emf.common.util.URI;
import org.eclipse.emf.ecore.resource.Resource;
import org.eclipse.emf.ecore.resource.impl.ResourceSetImpl;
import org.eclipse.emf.ecore.xmi.impl.XMIResourceFactoryImpl;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * The contribution as an e4 workbench reads it: fragment.e4xmi loaded with the 4.30 application model (EMF), its
 * part descriptor pointing at this bundle's symbolic name and the part class, and plugin.xml registering that file
 * at the e4 model extension point of a singleton bundle.
 */
class ContributionTest {

    private static final Path CLASSES = Path.of("target/classes");

    @Test
    void theFragmentAddsThePartDescriptorToAnyApplication() throws Exception {
        // Touching the package instances registers them, as the model bundle's activation does in a workbench.
        assertThat(org.eclipse.e4.ui.model.fragment.impl.FragmentPackageImpl.eINSTANCE).isNotNull();
        assertThat(org.eclipse.e4.ui.model.application.descriptor.basic.impl.BasicPackageImpl.eINSTANCE).isNotNull();
        assertThat(org.eclipse.e4.ui.model.application.impl.ApplicationPackageImpl.eINSTANCE).isNotNull();
        ResourceSetImpl rs = new ResourceSetImpl();
        rs.getResourceFactoryRegistry().getExtensionToFactoryMap().put("e4xmi", new XMIResourceFactoryImpl());
        Resource r = rs.getResource(URI.createFileURI(CLASSES.resolve("fragment.e4xmi").toAbsolutePath().toString()),
                true);
        assertThat(r.getErrors()).isEmpty();
        MModelFragments root = (MModelFragments) r.getContents().get(0);
        assertThat(root.getFragments()).hasSize(1);
        MStringModelFragment f = (MStringModelFragment) root.getFragments().get(0);
        assertThat(f.getFeaturename()).isEqualTo("descriptors");
        assertThat(f.getParentElementId()).isEqualTo("xpath:/");
        MPartDescriptor d = (MPartDescriptor) f.getElements().get(0);
        assertThat(d.getElementId()).isEqualTo(TwinPart.PART_ID);
        assertThat(d.getTags()).contains("View");
        assertThat(d.isAllowMultiple()).isTrue();
        String bsn = bundleSymbolicName();
        assertThat(d.getContributionURI()).isEqualTo("bundleclass://" + bsn + "/" + TwinPart.class.getName());
        // e4 instantiates it through a public no-argument constructor.
        assertThat(TwinPart.class.getConstructor()).isNotNull();
    }

    @Test
    void pluginXmlRegistersTheFragmentInASingletonBundle() throws Exception {
        Document doc;
        try (InputStream in = Files.newInputStream(CLASSES.resolve("plugin.xml"))) {
            doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in);
        }
        Element ext = (Element) doc.getElementsByTagName("extension").item(0);
        assertThat(ext.getAttribute("point")).isEqualTo("org.eclipse.e4.workbench.model");
        Element frag = (Element) ext.getElementsByTagName("fragment").item(0);
        assertThat(frag.getAttribute("uri")).isEqualTo("fragment.e4xmi");
        assertThat(Files.exists(CLASSES.resolve(frag.getAttribute("uri")))).isTrue();
        try (InputStream in = Files.newInputStream(CLASSES.resolve("META-INF/MANIFEST.MF"))) {
            String bsnHeader = new Manifest(in).getMainAttributes().getValue("Bundle-SymbolicName");
            assertThat(bsnHeader.replace(" ", "")).isEqualTo("org.biotwin.ui.swt;singleton:=true");
        }
    }

    private static String bundleSymbolicName() throws Exception {
        try (InputStream in = Files.newInputStream(CLASSES.resolve("META-INF/MANIFEST.MF"))) {
            return new Manifest(in).getMainAttributes().getValue("Bundle-SymbolicName").split(";")[0].trim();
        }
    }
}
