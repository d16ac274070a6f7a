package org.biotwin.host;

/**
 * The launcher reaches the services of Gogo, SCR and the Log Service through reflection, because their API
 * packages live in bundles, not on the launcher's class path. Stateless.
 */
final class Reflect {
    private Reflect() {
    }

    /** The interface named {@code name} that {@code type} or a superclass implements. */
    static Class<?> interfaceNamed(Class<?> type, String name) throws ClassNotFoundException {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Class<?> i : c.getInterfaces()) {
                if (i.getName().equals(name)) {
                    return i;
                }
            }
        }
        throw new ClassNotFoundException(name + " is not implemented by " + type);
    }
}
