package org.biotwin.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleListTest {

    @TempDir
    Path dir;

    @Test
    void readsEntriesInOrderSkippingComments() throws Exception {
        Path f = Files.writeString(dir.resolve("bundles.properties"), "# c\n\na-1.0.jar = 1\n  b-2.jar=4  \n");
        BundleList list = BundleList.read(f);
        assertThat(list.entries()).extracting(BundleList.Entry::file).containsExactly("a-1.0.jar", "b-2.jar");
        assertThat(list.entries()).extracting(BundleList.Entry::startLevel).containsExactly(1, 4);
        assertThat(list.maxStartLevel()).isEqualTo(4);
    }

    @Test
    void malformedLinesAreRejectedWithFileAndLine() throws Exception {
        Path noLevel = Files.writeString(dir.resolve("a.properties"), "a.jar = 1\nb.jar = first\n");
        assertThatThrownBy(() -> BundleList.read(noLevel)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a.properties:2").hasMessageContaining("start level of b.jar");
        Path zero = Files.writeString(dir.resolve("z.properties"), "a.jar = 0\n");
        assertThatThrownBy(() -> BundleList.read(zero)).hasMessageContaining("z.properties:1")
                .hasMessageContaining(">= 1");
        Path notJar = Files.writeString(dir.resolve("b.properties"), "../evil.jar = 1\n");
        assertThatThrownBy(() -> BundleList.read(notJar)).hasMessageContaining("b.properties:1")
                .hasMessageContaining("not a jar file name");
        Path noEquals = Files.writeString(dir.resolve("c.properties"), "just-a-line\n");
        assertThatThrownBy(() -> BundleList.read(noEquals)).hasMessageContaining("c.properties:1")
                .hasMessageContaining("expected '<jar file> = <start level>'");
    }
}
