package io.capipc.isolation;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.module.ModuleReader;
import java.lang.module.ModuleReference;
import java.lang.reflect.AccessibleObject;
import java.lang.reflect.Array;
import java.lang.reflect.InaccessibleObjectException;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What reflection gives this module, member by member. Every call that checks access here is made
 * from this module's code, so the JDK judges it as it would a task body's.
 */
final class Reflect {
    /** The modules a task's code must not get into. */
    static final List<String> KERNEL_MODULES = List.of("io.capipc.api", "io.capipc.capabilities", "io.capipc.kernel");

    private static final Module ME = Reflect.class.getModule();

    private Reflect() {}

    /**
     * Every class of {@code module}, loaded by name: what a task can name without being given
     * anything. Listing a module's contents and loading its classes is open to any code.
     */
    static List<Class<?>> classesOf(String module) throws IOException, ClassNotFoundException {
        ModuleReference ref = ModuleLayer.boot().configuration().findModule(module).orElseThrow().reference();
        List<String> names;
        try (ModuleReader reader = ref.open()) {
            names = reader.list().filter(n -> n.endsWith(".class") && !n.endsWith("module-info.class")).toList();
        }
        List<Class<?>> classes = new ArrayList<>();
        for (String n : names) {
            String binaryName = n.substring(0, n.length() - ".class".length()).replace('/', '.');
            classes.add(Class.forName(binaryName, false, Reflect.class.getClassLoader()));
        }
        return classes;
    }

    /** Every field, method and constructor {@code type} and its superclasses of the same module declare. */
    static List<AccessibleObject> members(Class<?> type) {
        List<AccessibleObject> all = new ArrayList<>();
        for (Class<?> c = type; c != null && c.getModule() == type.getModule(); c = c.getSuperclass()) {
            all.addAll(List.of(c.getDeclaredFields()));
            all.addAll(List.of(c.getDeclaredMethods()));
            all.addAll(List.of(c.getDeclaredConstructors()));
        }
        return all;
    }

    /** True if the language already lets this module use {@code m}: public, of a public class, in a package exported to it. */
    static boolean isPublicApi(AccessibleObject m) {
        Class<?> c = ((Member) m).getDeclaringClass();
        return Modifier.isPublic(((Member) m).getModifiers()) && Modifier.isPublic(c.getModifiers())
                && c.getModule().isExported(c.getPackageName(), ME);
    }

    /**
     * Tries to open every member of {@code type} (and its superclasses) that is not already public
     * API: each must refuse, setAccessible with InaccessibleObjectException and trySetAccessible with
     * false. Returns the names of the members refused; the caller checks the ones that matter are there.
     */
    static Set<String> assertCannotOpen(Class<?> type) {
        Set<String> refused = new TreeSet<>();
        for (AccessibleObject m : members(type)) {
            if (!isPublicApi(m)) {
                assertThrows(InaccessibleObjectException.class, () -> m.setAccessible(true), m::toString);
                assertFalse(m.trySetAccessible(), m::toString);
                refused.add(((Member) m).getName());
            }
        }
        return refused;
    }

    /**
     * Calls, on {@code target}, every public method its class and that class's superclasses declare,
     * with zero or null arguments, as a task that found the class by name would: each must be refused
     * with IllegalAccessException, because the package is not exported to this module (the access
     * check comes before the arguments are looked at). Returns the names of the methods refused.
     */
    static Set<String> assertCannotCall(Object target) {
        assertFalse(target.getClass().getModule().isExported(target.getClass().getPackageName(), ME),
                target.getClass() + " is exported to this module");
        Set<String> refused = new TreeSet<>();
        for (AccessibleObject m : members(target.getClass())) {
            if (m instanceof Method method && Modifier.isPublic(method.getModifiers())) {
                assertThrows(IllegalAccessException.class, () -> method.invoke(target, zeros(method)), method::toString);
                refused.add(method.getName());
            }
        }
        assertTrue(!refused.isEmpty(), target.getClass() + " has no public method to try");
        return refused;
    }

    /** An argument list of zeros, false and nulls that fits {@code m}. */
    static Object[] zeros(Method m) {
        Class<?>[] types = m.getParameterTypes();
        Object[] args = new Object[types.length];
        for (int i = 0; i < types.length; i++) {
            args[i] = types[i].isPrimitive() ? Array.get(Array.newInstance(types[i], 1), 0) : null;
        }
        return args;
    }
}
