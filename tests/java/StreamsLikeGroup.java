// Test bed only (tests/discover_transactions.rs): a classic consumer group member that joins
// with the assignor name Kafka Streams uses ("stream", StreamsPartitionAssignor), run with
// `java -cp <kafka-libs>/* StreamsLikeGroup.java <bootstrap> <group> <topic>`. It prints
// "assigned" once the group is stable and polls until its standard input closes.
//
// A real Kafka Streams application would need the kafka-streams jar, which the test bed's
// class path does not hold; the group's protocol on the wire is the same.

import java.time.Duration;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

public class StreamsLikeGroup {
    /** Range assignment under Kafka Streams' assignor name. */
    public static class StreamAssignor extends RangeAssignor {
        @Override
        public String name() {
            return "stream";
        }
    }

    public static void main(String[] args) throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", args[0]);
        p.put("group.id", args[1]);
        p.put("group.protocol", "classic");
        // Class objects, not names: classes of a source-file program are not found by name.
        p.put("partition.assignment.strategy", List.of(StreamAssignor.class));
        p.put("key.deserializer", ByteArrayDeserializer.class);
        p.put("value.deserializer", ByteArrayDeserializer.class);
        p.put("auto.offset.reset", "earliest");
        Thread watcher = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // Wait for the end of standard input.
                }
            } catch (java.io.IOException e) {
                // Treated as the end.
            }
            System.exit(0);
        });
        watcher.setDaemon(true);
        watcher.start();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            consumer.subscribe(List.of(args[2]));
            boolean announced = false;
            while (true) {
                consumer.poll(Duration.ofMillis(200));
                if (!announced && !consumer.assignment().isEmpty()) {
                    System.out.println("assigned");
                    System.out.flush();
                    announced = true;
                }
            }
        }
    }
}
