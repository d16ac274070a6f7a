package org.biotwin.host;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * Prints OSGi Log Service entries on the console: warnings and errors from every bundle, and FileInstall's
 * information lines (what was installed from or removed with the deploy folder). Without it, SCR, Metatype and
 * FileInstall, which log to the Log Service once one is present, would go silent. The launcher does not share the
 * log API package with the framework, so the listener is a proxy of the framework's {@code LogListener}.
 * Thread-safe: the Log Service calls the listener on its own thread; printing is line-atomic.
 */
final class LogConsole {
    private static final String READER = "org.osgi.service.log.LogReaderService";
    private static final String FILEINSTALL = "org.apache.felix.fileinstall";

    private LogConsole() {
    }

    /** Attaches to the Log Service if one is registered; returns whether it did. */
    static boolean attach(BundleContext context) {
        ServiceReference<?> ref = context.getServiceReference(READER);
        if (ref == null) {
            return false;
        }
        Object reader = context.getService(ref);
        try {
            Class<?> readerApi = Reflect.interfaceNamed(reader.getClass(), READER);
            ClassLoader api = readerApi.getClassLoader();
            Class<?> listenerApi = api.loadClass("org.osgi.service.log.LogListener");
            Class<?> entryApi = api.loadClass("org.osgi.service.log.LogEntry");
            Method level = entryApi.getMethod("getLevel");
            Method message = entryApi.getMethod("getMessage");
            Method exception = entryApi.getMethod("getException");
            Method bundle = entryApi.getMethod("getBundle");
            Object listener = Proxy.newProxyInstance(api, new Class<?>[] {listenerApi}, (proxy, method, args) -> {
                switch (method.getName()) {
                    case "logged" -> print(args[0], level, message, exception, bundle);
                    case "hashCode" -> {
                        return System.identityHashCode(proxy);
                    }
                    case "equals" -> {
                        return proxy == args[0];
                    }
                    case "toString" -> {
                        return "biotwin-host log console";
                    }
                    default -> {
                    }
                }
                return null;
            });
            readerApi.getMethod("addLogListener", listenerApi).invoke(reader, listener);
            return true;
        } catch (ReflectiveOperationException e) {
            Log.warn("Cannot attach to the Log Service: " + e);
            return false;
        }
    }

    @SuppressWarnings("deprecation") // getLevel(): the int level is the simplest stable accessor across Log 1.3-1.5
    private static void print(Object entry, Method level, Method message, Method exception, Method bundle)
            throws ReflectiveOperationException {
        int lvl = (Integer) level.invoke(entry);
        Bundle b = (Bundle) bundle.invoke(entry);
        String source = b == null ? "?" : b.getSymbolicName();
        boolean fromFileInstall = FILEINSTALL.equals(source);
        String msg = String.valueOf(message.invoke(entry));
        // The Log Service also records every framework event of a bundle at INFO: the host has its own reports.
        boolean frameworkEvent = msg.startsWith("BundleEvent ") || msg.startsWith("ServiceEvent ")
                || msg.startsWith("FrameworkEvent ");
        if (lvl > 2 && !(fromFileInstall && lvl == 3 && !frameworkEvent)) {
            return;
        }
        Throwable t = (Throwable) exception.invoke(entry);
        String text = "[" + source + "] " + msg + (t == null ? "" : ": " + t);
        switch (lvl) {
            case 1 -> Log.error(text);
            case 2 -> Log.warn(text);
            default -> Log.info(text);
        }
    }

}
