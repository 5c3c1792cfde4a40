package io.rollingmigration.testsupport;

import java.lang.management.ManagementFactory;
import java.util.function.Predicate;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Connect plugin metrics as a monitoring agent reads them: from JMX, by attribute name, summed over the beans that
 * have it (one per task), so a figure does not depend on how the worker names its plugin metric beans.
 */
public final class PluginMetrics {

    private PluginMetrics() {}

    /** The sum of {@code attribute} over every bean that has it. */
    public static long sum(String attribute) {
        return sum(attribute, bean -> true);
    }

    /** The sum of {@code attribute} over the beans {@code which} accepts, e.g. one connector's tasks. */
    public static long sum(String attribute, Predicate<ObjectName> which) {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        long total = 0;
        for (ObjectName bean : server.queryNames(null, null)) {
            if (!which.test(bean)) {
                continue;
            }
            try {
                for (MBeanAttributeInfo info : server.getMBeanInfo(bean).getAttributes()) {
                    if (info.getName().equals(attribute)) {
                        Object value = server.getAttribute(bean, attribute);
                        if (value instanceof Number numberValue) {
                            total += numberValue.longValue();
                        }
                    }
                }
            } catch (Exception e) {
                // A bean that went away while we looked (a task stopping).
            }
        }
        return total;
    }

    /**
     * The values of {@code attribute} by the value of the beans' {@code tag} (a plugin metric's tag, e.g. a
     * partition), summed over the beans with the same tag value; NaN values are left out.
     */
    public static java.util.Map<String, Double> byTag(String attribute, String tag) {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        java.util.Map<String, Double> values = new java.util.TreeMap<>();
        for (ObjectName bean : server.queryNames(null, null)) {
            String value = bean.getKeyProperty(tag);
            if (value == null) {
                continue;
            }
            try {
                for (MBeanAttributeInfo info : server.getMBeanInfo(bean).getAttributes()) {
                    if (info.getName().equals(attribute)) {
                        Object number = server.getAttribute(bean, attribute);
                        if (number instanceof Number n && !Double.isNaN(n.doubleValue())) {
                            // Kafka's JMX reporter quotes a tag value with characters an object name reserves.
                            String name = value.startsWith("\"") ? ObjectName.unquote(value) : value;
                            values.merge(name, n.doubleValue(), Double::sum);
                        }
                    }
                }
            } catch (Exception e) {
                // A bean that went away while we looked (a task stopping).
            }
        }
        return values;
    }

    /** Accepts the beans of connector {@code name}'s tasks. */
    public static Predicate<ObjectName> ofConnector(String name) {
        return bean -> name.equals(bean.getKeyProperty("connector"));
    }
}
