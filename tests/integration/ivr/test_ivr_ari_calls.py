"""Real calls through the sandbox Asterisk over ARI: media both ways, recording, DTMF,
transfer to an agent, and an event websocket dropped mid-call."""

from __future__ import annotations

import asyncio

from ivr_sandbox_fixtures import Harness, asterisk, harness

from ivr.media.audio import rms, tone, tone_share

__all__ = ["asterisk", "harness"]  # fixtures used by the tests below

BOT_HZ, DEBTOR_HZ = 1000, 440


async def test_audio_flows_both_ways_and_the_bridge_recording_has_both(harness: Harness) -> None:
    debtor, sim = await harness.simulated_call()
    bot = await harness.media_leg(debtor)
    person = await harness.media_leg(sim)  # the simulated debtor's own mouth and ears
    recording = harness.new_id("rec")
    harness.recordings.append(recording)
    await harness.ari.record_bridge(bot.bridge_id, recording)

    said_by_bot, said_by_debtor = await asyncio.gather(
        bot.sender.play(tone(BOT_HZ, 1500)), person.sender.play(tone(DEBTOR_HZ, 1500))
    )
    assert said_by_bot.frames_sent == 75
    assert said_by_debtor.frames_sent == 75
    await asyncio.sleep(0.3)
    heard_by_debtor = person.endpoint.receiver.drain()
    heard_by_bot = bot.endpoint.receiver.drain()

    assert tone_share(heard_by_debtor, BOT_HZ) > 0.8
    assert tone_share(heard_by_debtor, DEBTOR_HZ) < 0.05  # nobody hears their own voice back
    assert tone_share(heard_by_bot, DEBTOR_HZ) > 0.8
    assert tone_share(heard_by_bot, BOT_HZ) < 0.05
    assert bot.endpoint.receiver.stats.first_payload_size is not None
    assert bot.endpoint.receiver.jitter.counters.lost == 0

    rate, pcm = await harness.download_wav(recording)
    assert rate == 8000
    assert len(pcm) >= 2 * 8000 * 1.4  # at least the 1.5 s we spoke
    bot_share, debtor_share = tone_share(pcm, BOT_HZ), tone_share(pcm, DEBTOR_HZ)
    print(f"recording: {BOT_HZ} Hz share {bot_share:.2f}, {DEBTOR_HZ} Hz share {debtor_share:.2f}")
    assert bot_share > 0.1
    assert debtor_share > 0.1
    assert bot_share + debtor_share > 0.8  # the recording holds both parties and little else


async def test_ari_playback_reaches_the_debtor_and_can_be_stopped(harness: Harness) -> None:
    debtor, sim = await harness.simulated_call()
    await harness.media_leg(debtor)
    person = await harness.media_leg(sim)
    await asyncio.sleep(0.2)
    person.endpoint.receiver.drain()
    quiet = person.endpoint.receiver.drain()

    playback = await harness.ari.play(debtor, "sound:tt-monkeysintro")
    await harness.wait_for(
        "PlaybackStarted", where=lambda e: e.playback is not None and e.playback.id == playback.id
    )
    await asyncio.sleep(1.5)
    heard = person.endpoint.receiver.drain()
    assert rms(heard) > 300 > rms(quiet) + 1

    mark = len(harness.events)
    await harness.ari.stop_playback(playback.id)
    await harness.wait_for(
        "PlaybackFinished",
        where=lambda e: e.playback is not None and e.playback.id == playback.id,
        after=mark,
    )
    await asyncio.sleep(0.2)
    person.endpoint.receiver.drain()
    await asyncio.sleep(0.5)
    assert rms(person.endpoint.receiver.drain()) < 50


async def test_dtmf_from_the_debtor_reaches_the_client_in_order(harness: Harness) -> None:
    debtor, sim = await harness.simulated_call()
    await harness.media_leg(debtor)
    mark = len(harness.events)
    await harness.ari.send_dtmf(sim, "1#7", duration_ms=80, between_ms=80)
    await harness.wait_for(
        "ChannelDtmfReceived", debtor, where=lambda e: e.digit == "7", after=mark
    )
    digits = [
        e.digit
        for e in harness.events[mark:]
        if e.type == "ChannelDtmfReceived" and e.channel_id == debtor
    ]
    assert digits == ["1", "#", "7"]


async def test_transfer_puts_debtor_and_agent_in_one_bridge_and_drops_media(
    harness: Harness,
) -> None:
    debtor, sim = await harness.simulated_call()
    bot = await harness.media_leg(debtor)
    person = await harness.media_leg(sim)
    agent, agent_far = harness.new_id("agent"), harness.new_id("agent2")
    harness.channels += [agent, agent_far]

    await harness.ari.originate(
        "Local/s@agent/n", app_args=["agent"], channel_id=agent, other_channel_id=agent_far
    )
    await harness.wait_for("StasisStart", agent)
    await harness.ari.add_to_bridge(bot.bridge_id, [agent])
    em_id = bot.channel.channel.id
    await harness.ari.remove_from_bridge(bot.bridge_id, [em_id])
    await harness.ari.hangup(em_id)
    await harness.wait_for("ChannelDestroyed", em_id)

    bridge = await harness.ari.get_bridge(bot.bridge_id)
    assert set(bridge.channels) == {debtor, agent}
    await asyncio.sleep(0.1)
    packets = bot.endpoint.receiver.stats.packets
    person.endpoint.receiver.drain()
    await asyncio.sleep(2.0)  # the agent answers, waits 0.5 s, plays tt-monkeysintro
    assert bot.endpoint.receiver.stats.packets == packets  # the media leg is gone
    assert rms(person.endpoint.receiver.drain()) > 300  # the debtor hears the agent


async def test_websocket_drop_mid_call_is_survived_and_resynced(harness: Harness) -> None:
    debtor, sim = await harness.simulated_call()
    await harness.media_leg(debtor)
    gone_debtor, _gone_sim = await harness.simulated_call()
    assert harness.stream.connections == 1

    await harness.stream.drop()
    await harness.ari.hangup(gone_debtor)  # ends (with its ;2 half) while nobody listens
    report = await harness.wait_resync()
    await asyncio.wait_for(harness.stream.connected.wait(), 5)
    live = {c.id for c in report.channels}
    assert {debtor, sim} <= live
    assert gone_debtor in report.vanished_channel_ids
    assert gone_debtor not in live
    assert harness.stream.connections == 2
    assert {debtor, sim} <= harness.stream.tracked_channels

    mark = len(harness.events)
    await harness.ari.send_dtmf(sim, "5")
    event = await harness.wait_for("ChannelDtmfReceived", debtor, after=mark)
    assert event.digit == "5"
