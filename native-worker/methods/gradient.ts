// The gradient method as a type: what the trainer asks of every method
// (GradientMethod), what the table knows of each (MethodProperties: online
// or not, memory, cost, and how to create its GradientMethod), and the
// parts the batch methods share. One file per method beside this one
// (bptt.ts, rtrl.ts, rtrl-online.ts, rtrl-fast.ts); table.ts maps each
// method kind to its properties.

import type { Activation, Dtype, MethodConfig } from '../../common/contract';
import type { Batch } from '../engine/batch';
import type { KernelKind } from '../engine/fast/workspace-size';
import type { LossSpec } from '../engine/loss';
import { saturatedFraction } from '../engine/metrics/saturation';
import type { Layout } from '../engine/params';
import type { FloatArray } from '../engine/tensor';
import type { MemoryPart } from '../memory';

export interface GradientStep {
  /** The step's loss: the batch mean, or online the sum over the sequence's time steps. */
  loss: number;
  /** Fraction of saturated hidden units over the step's states. */
  saturation: number;
}

export interface GradientMethod {
  /**
   * One optimizer step's gradient work on the batch: each gradient is
   * written into grad and followed by update(), which applies it to params
   * (batch methods: once; online RTRL: after every time step, grad holding
   * that step's gradient alone). fresh: the batch does not continue the
   * previous step's sequence, so no state is carried into it.
   */
  train(params: FloatArray, batch: Batch, loss: LossSpec, grad: Float64Array, update: () => void, fresh: boolean): GradientStep;
  /** The state carried from one step to the next, for checkpoints; null when the method carries none. */
  saveCarry(): Float64Array | null;
  loadCarry(carry: ArrayLike<number>): void;
}

/** The sizes every formula reads: the model, the sequence length and the sequences per step. */
export interface MethodSizes {
  layout: Layout;
  T: number;
  /** Sequences per optimizer step (1 online). */
  B: number;
  dtype: Dtype;
}

export interface MethodCost {
  /** The method's working memory as the estimate shows it. */
  workingBytes: number;
  /** Multiply-adds per optimizer step. */
  flopsPerStep: number;
  warnings: string[];
}

/** One method kind's entry in the table: read by the trainer (online, create), memory.ts (memory, sensitivityBytes) and estimate.ts (cost). */
export interface MethodProperties {
  /** Updates the weights after every time step of one sequence per step, carrying its state across steps. */
  online: boolean;
  /** Keeps state from one optimizer step to the next, which checkpoints carry (online RTRL: s and [P Q R]). */
  carriesState: boolean;
  /** Bytes of RTRL's sensitivity tensors, which rtrlMemoryLimit bounds; null for BPTT, which keeps none. */
  sensitivityBytes(sizes: MethodSizes): number | null;
  create(sizes: MethodSizes, method: MethodConfig, act: Activation): GradientMethod;
  /** kernels: the fast kernels' kind; lengthField: the config field that sets T. */
  memory(sizes: MethodSizes, kernels: KernelKind, lengthField: string): MemoryPart[];
  cost(sizes: MethodSizes): MethodCost;
}

/** Multiply-adds of one time step's forward pass. */
export function forwardFlops({ m, d, n }: Layout['shape']): number {
  return d * m + d * d + n * d;
}

/** The batch's states for the saturation metric, kept beside RTRL's sensitivities (a plain forward pass in float32). */
export function statesPart({ layout, T, B, dtype }: MethodSizes, lengthField: string): MemoryPart {
  const { d, n } = layout.shape;
  const fast = dtype === 'float64';
  return {
    what: `the states of T·B = ${T * B} time steps`,
    bytes: (fast ? 8 : 4) * ((T + 1) * B * d + (fast ? 0 : T * B * n)),
    fields: [lengthField, 'training.batchSize', 'model.hidden'],
    wasm: false,
  };
}

/**
 * A method that computes the whole batch's gradient at once, with fixed
 * weights (BPTT, tBPTT, exact RTRL): one update per step, no state carried.
 */
export abstract class BatchMethod implements GradientMethod {
  constructor(private readonly d: number) {}

  /** The batch gradient at params: returns the mean loss, grad holding the mean gradient. */
  protected abstract gradient(params: FloatArray, batch: Batch, loss: LossSpec, grad: Float64Array): number;
  /** The batch's hidden states ((T+1)·B × d, s^0 first) once gradient() has run. */
  protected abstract readonly states: FloatArray;

  train(params: FloatArray, batch: Batch, loss: LossSpec, grad: Float64Array, update: () => void): GradientStep {
    const value = this.gradient(params, batch, loss, grad);
    const Bd = batch.B * this.d;
    const saturation = saturatedFraction(this.states, Bd, batch.T * Bd);
    update();
    return { loss: value, saturation };
  }

  saveCarry(): null {
    return null;
  }

  loadCarry(): void {
    throw new RangeError('checkpoint: carries online RTRL state but the method is not rtrl-online');
  }
}
