package io.hearth.channel;

import java.util.Collection;

/** A channel name no mapper answers to. */
public class UnknownChannelException extends RuntimeException {

    private final Collection<String> knownChannels;

    public UnknownChannelException(String channel, Collection<String> knownChannels) {
        super("unknown channel '" + channel + "'; known channels: " + String.join(", ", knownChannels));
        this.knownChannels = knownChannels;
    }

    public Collection<String> knownChannels() {
        return knownChannels;
    }
}
